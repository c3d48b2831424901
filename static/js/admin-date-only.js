// Admin: a date-only field has no time of day, so the "you are N hours ahead of server time" note that Django's
// DateTimeShortcuts adds to every date input does not apply to it. DateTimeShortcuts appends the note to the
// input's grandparent (the field's row) in its own "load" handler; the media order may put this file first, so
// the removal waits for every load handler to have run.
window.addEventListener("load", () => setTimeout(() => {
  for (const input of document.querySelectorAll("input.vDateField.date-only")) {
    const row = input.parentNode.parentNode || input.parentNode;
    if (row.querySelector("input.vTimeField")) continue;  // a date and time row keeps its note
    for (const note of row.querySelectorAll(".timezonewarning")) note.remove();
  }
}, 0));
