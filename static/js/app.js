// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// An htmx answer that cannot go into the page (an error, or the session has ended: 401 from
// agencies.middleware_security.SignInRequiredMiddleware), or no answer at all: say so just before what the user
// acted on (the form, for a save; the element that loads, for a load or a poll), and leave the page, and what they
// typed, as it was.
function htmxSaving(detail) {
  return Boolean(detail.requestConfig) && detail.requestConfig.verb !== "get";
}

function htmxProblemText(detail) {
  const saving = htmxSaving(detail);
  const kept = "What you entered is still here.";
  if (!detail.xhr || !detail.xhr.status) {
    return saving ? `Not saved: the server could not be reached. ${kept} Try again when you are connected.` : "This could not be loaded: the server could not be reached. Try again, or reload the page.";
  }
  if (detail.xhr.status === 401) {
    return saving ? `Not saved: you have been signed out. Sign in again in a new tab, then try again here. ${kept}` : "You have been signed out. Sign in again, then reload the page.";
  }
  return saving ? `Not saved: something went wrong on the server (error ${detail.xhr.status}). ${kept} Try again, or reload the page.` : `This could not be loaded (error ${detail.xhr.status}). Try again, or reload the page.`;
}

function htmxProblemAnchor(detail) {
  return (htmxSaving(detail) && detail.elt.closest("form")) || detail.elt;
}

function htmxProblemShown(detail) {
  const previous = htmxProblemAnchor(detail).previousElementSibling;
  return previous && previous.classList.contains("app-htmx-problem") ? previous : null;
}

function htmxProblemClear(event) {
  const shown = htmxProblemShown(event.detail);
  if (shown) shown.remove();
}

function htmxProblemShow(event) {
  const text = htmxProblemText(event.detail);
  const shown = htmxProblemShown(event.detail);
  // A poll failing again and again (every second) says so once: the same alert, announced anew, each time would
  // drown out everything else for someone using a screen reader.
  if (shown && shown.dataset.problem === text) return;
  if (shown) shown.remove();
  const message = document.createElement("p");
  message.className = "govuk-error-message app-htmx-problem";
  message.setAttribute("role", "alert");
  message.dataset.problem = text;
  const prefix = document.createElement("span");
  prefix.className = "govuk-visually-hidden";
  prefix.textContent = "Error: ";
  message.append(prefix, text);
  htmxProblemAnchor(event.detail).before(message);
}

// A save tried again starts afresh (its outcome, whatever it is, is said again); a load or a poll keeps its message
// until an answer goes into the page.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  if (htmxSaving(event.detail)) htmxProblemClear(event);
});
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (!event.detail.isError) htmxProblemClear(event);
});
document.body.addEventListener("htmx:responseError", htmxProblemShow);
document.body.addEventListener("htmx:sendError", htmxProblemShow);
