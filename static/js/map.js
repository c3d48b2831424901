// Map: the info box shows the area under the pointer (or in focus). A mouse click follows the area's link; on a
// touch screen the first tap on an area shows its value (there is no hover) and a second tap, or the box's link,
// opens its page.
document.addEventListener("DOMContentLoaded", () => {
  const info = document.getElementById("map-info");
  const areas = document.querySelectorAll(".choropleth .map-area");
  if (!info || !areas.length) return;
  const hint = info.querySelector(".map-info-hint");
  const body = info.querySelector(".map-info-body");
  // On a phone the box floats at the bottom of the screen over the map; the close button puts it back.
  const close = info.querySelector(".map-info-close");
  close.addEventListener("click", () => {
    info.classList.remove("is-showing");
    close.hidden = true;
    if (selected) selected.classList.remove("is-selected");
    selected = null;
  });
  let selected = null;
  let lastPointerType = "mouse";
  // Whether the area was already selected when the finger came down (a tap also focuses the link first).
  let wasSelectedAtPointerDown = false;

  function show(area) {
    info.querySelector(".map-info-name").textContent = area.dataset.name;
    info.querySelector(".map-info-province").textContent = area.dataset.province ? ` · ${area.dataset.province}` : "";
    info.querySelector(".map-info-value").textContent = area.dataset.value;
    info.querySelector(".map-info-link").setAttribute("href", area.getAttribute("href"));
    hint.hidden = true;
    body.hidden = false;
    close.hidden = false;
    info.classList.add("is-showing");
  }

  function select(area) {
    if (selected) selected.classList.remove("is-selected");
    selected = area;
    area.classList.add("is-selected");
    show(area);
  }

  areas.forEach((area) => {
    area.addEventListener("pointerdown", (event) => {
      lastPointerType = event.pointerType || "mouse";
      wasSelectedAtPointerDown = selected === area;
    });
    area.addEventListener("pointerenter", (event) => { if (event.pointerType === "mouse") select(area); });
    area.addEventListener("focus", () => select(area));
    area.addEventListener("click", (event) => {
      if (lastPointerType !== "mouse" && !wasSelectedAtPointerDown) {
        event.preventDefault();
        select(area);
      }
    });
  });
});
