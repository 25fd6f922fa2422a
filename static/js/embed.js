// The embed page tells the page that frames it how tall it wants to be: the drawing at the frame's
// width plus the link below it. A listener on that page (the snippet on a snapshot's page) sets the
// iframe's height from it, so the drawing shows whole with no scroll bar and no white space.
// The message is {type: "pod-diagram:height", height: <CSS pixels>}; nothing in it is private.
const MESSAGE_TYPE = "pod-diagram:height";
let lastHeight = 0;

function wantedHeight() {
  const page = document.documentElement.getBoundingClientRect().height;
  const svg = document.querySelector(".embed-drawing svg");
  const box = svg && svg.viewBox.baseVal;
  if (!box || !box.width) return Math.ceil(page);
  // The drawing may be held smaller than its width allows (max-height); count it at full width.
  const shown = svg.getBoundingClientRect();
  return Math.ceil(page - shown.height + (shown.width * box.height) / box.width);
}

function tellParent() {
  const height = wantedHeight();
  if (window.parent === window || height === lastHeight) return;
  lastHeight = height;
  window.parent.postMessage({ type: MESSAGE_TYPE, height }, "*");
}

window.addEventListener("load", tellParent);
window.addEventListener("resize", tellParent);
