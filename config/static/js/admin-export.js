// The export page's "Select all" box, wired here rather than by an inline onchange
// attribute, which the site's content security policy refuses. The handler
// (onSelectToggleChange) comes from django-import-export's own script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (event) => {
      if (typeof onSelectToggleChange === "function") {
        onSelectToggleChange(event);
      }
    });
  });
});
