// releasewatch: small enhancements only; every page works without this file.
"use strict";
document.addEventListener("keydown", (event) => {
  // "/" jumps to the search box, as on many sites, unless the user is typing somewhere.
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const box = document.getElementById("quick-q");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  }
});
document.querySelectorAll("button[data-copy]").forEach((button) => {
  // "Copy citation" buttons copy the text of the element they name.
  button.hidden = false;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  });
});
