// Admin: a date-only field has no time of day, so the "you are N hours ahead of server time" note that Django's
// DateTimeShortcuts adds to every date input does not apply to it. Runs after DateTimeShortcuts (both on "load").
window.addEventListener("load", () => {
  for (const input of document.querySelectorAll("input.vDateField.date-only")) {
    const row = input.closest("p, td, div") || input.parentNode;
    for (const note of row.querySelectorAll(".timezonewarning")) note.remove();
  }
});
