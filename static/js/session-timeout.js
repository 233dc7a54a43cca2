// Warns before an idle session ends, lets the user stay signed in, and signs out when the time is up.
// The server renders the session's length on <body> (data-session-seconds); every request starts it again (the server
// keeps it a minute longer than this, as it writes it at most once a minute), so this
// page's load (and each htmx request it makes) does too. Tabs share the expiry time through localStorage, so that
// working in one tab keeps the others from signing out.

const body = document.body;
const dialog = document.getElementById("session-timeout-dialog");
const sessionSeconds = Number(body.dataset.sessionSeconds);
const warningSeconds = Number(body.dataset.sessionWarningSeconds);
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const STORAGE_KEY = "asb-casework-session-expires-at";

let expiresAt = 0;
let timer = null;
let signingOut = false;

function remember(secondsFromNow) {
  expiresAt = Date.now() + secondsFromNow * 1000;
  try {
    localStorage.setItem(STORAGE_KEY, String(expiresAt));
  } catch {
    // Storage may be switched off: this tab keeps its own time.
  }
}

function latestExpiry() {
  try {
    const shared = Number(localStorage.getItem(STORAGE_KEY));
    if (shared > expiresAt) expiresAt = shared;
  } catch {
    // As above.
  }
  return expiresAt;
}

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function showWarning(secondsLeft) {
  dialog.querySelector("[data-session-countdown]").textContent = describe(secondsLeft);
  if (!dialog.open) {
    dialog.showModal();
    dialog.querySelector("[data-session-stay]").focus();
  }
}

async function signOut() {
  if (signingOut) return;
  signingOut = true;
  clearInterval(timer);
  try {
    await fetch(body.dataset.signOutUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken },
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch {
    // Offline or already signed out: the server ends the session by itself.
  }
  const here = window.location.pathname + window.location.search;
  window.location.assign(`${body.dataset.signedOutUrl}&next=${encodeURIComponent(here)}`);
}

async function staySignedIn() {
  try {
    const response = await fetch(body.dataset.sessionExtendUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (!response.ok) throw new Error(`session not extended (${response.status})`);
    const { expires_in: seconds } = await response.json();
    remember(seconds);
    dialog.close();
  } catch {
    signOut();
  }
}

function tick() {
  const secondsLeft = Math.ceil((latestExpiry() - Date.now()) / 1000);
  if (secondsLeft <= 0) {
    signOut();
  } else if (secondsLeft <= warningSeconds) {
    showWarning(secondsLeft);
  } else if (dialog.open) {
    dialog.close(); // another tab kept the session going
  }
}

if (dialog && sessionSeconds > 0) {
  remember(sessionSeconds);
  dialog.querySelector("[data-session-stay]").addEventListener("click", staySignedIn);
  dialog.querySelector("[data-session-sign-out]").addEventListener("click", signOut);
  // Escape would close the dialog without an answer: treat it as "stay signed in", which is what the user is doing.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  body.addEventListener("htmx:afterRequest", () => remember(sessionSeconds));
  timer = setInterval(tick, 1000);
  tick();
}
