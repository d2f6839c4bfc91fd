// Progressive enhancement only: every page works without this file.
// Filter forms drop their empty fields before submitting, so that the address in the
// location bar is the short one worth sharing (?mode=closed_loop, not ?mode=closed_loop&kind=&…).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") {
    return;
  }
  for (const field of form.elements) {
    if (field.name && field.value === "" && !field.disabled) {
      field.disabled = true;
    }
  }
  // Re-enable after navigation starts, for the back button's restored page.
  window.setTimeout(() => {
    for (const field of form.elements) {
      field.disabled = false;
    }
  }, 0);
});
