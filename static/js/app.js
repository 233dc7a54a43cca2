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

function htmxProblemClear(event) {
  const previous = htmxProblemAnchor(event.detail).previousElementSibling;
  if (previous && previous.classList.contains("app-htmx-problem")) previous.remove();
}

function htmxProblemShow(event) {
  htmxProblemClear(event);
  const message = document.createElement("p");
  message.className = "govuk-error-message app-htmx-problem";
  message.setAttribute("role", "alert");
  const prefix = document.createElement("span");
  prefix.className = "govuk-visually-hidden";
  prefix.textContent = "Error: ";
  message.append(prefix, htmxProblemText(event.detail));
  htmxProblemAnchor(event.detail).before(message);
}

document.body.addEventListener("htmx:beforeRequest", htmxProblemClear);
document.body.addEventListener("htmx:responseError", htmxProblemShow);
document.body.addEventListener("htmx:sendError", htmxProblemShow);
