// The time-out warning (GOV.UK / HMRC pattern), a progressive enhancement for signed-in people.
//
// The server renders a hidden <dialog id="app-timeout-dialog"> whose data attributes say how
// many seconds the session has before it goes idle, and how long before then to warn. This
// script opens the dialog at that point as a modal ("You’re about to be signed out"), counts
// down, and either keeps the session alive ("Stay signed in" or Escape: POST /session/keep-alive)
// or, at zero, goes to the signed-out page. Tabs of the same site share their deadline, so
// using one tab keeps the others from signing the person out.
//
// Without JavaScript none of this runs: the session ends after the idle time and the
// signed-out page explains why. Copied to public/ by scripts/build-css.mjs.

/* global document, window */

const dialog = document.getElementById('app-timeout-dialog');
if (dialog && typeof dialog.showModal === 'function') start(dialog);

/** Wires up one dialog; its data attributes carry the timings and the words. */
function start(dialog) {
  const data = dialog.dataset;
  const warningSeconds = Number(data.warningSeconds);
  const idleSeconds = Number(data.idleSeconds);
  const message = document.getElementById('app-timeout-dialog-message');
  const announcement = document.getElementById('app-timeout-dialog-announcement');
  const stayButton = dialog.querySelector('[data-timeout-action="stay"]');
  const csrf = dialog.querySelector('input[name="_csrf"]');
  // A second's grace, so the page never reaches zero before the server thinks the session idle.
  let deadline = Date.now() + (Number(data.secondsLeft) + 1) * 1000;
  let lastShown = -1;
  let returnFocusTo = null;
  let leaving = false;

  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel('ju-session') : null;
  channel?.addEventListener('message', (event) => {
    const theirs = Number(event.data?.deadline);
    if (theirs > deadline) {
      deadline = theirs;
      if (dialog.open && secondsLeft() > warningSeconds) close();
    }
  });
  // This page was just served, so the session was just used: tell the other tabs.
  channel?.postMessage({ deadline });

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  /** "2 minutes", "1 minute and 30 seconds", "45 seconds", as timeLeftText does on the server. */
  function timeLeftText(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    const minutesText = (minutes === 1 ? data.textMinute : data.textMinutes).replace(
      '{count}',
      String(minutes),
    );
    const secondsText = (rest === 1 ? data.textSecond : data.textSeconds).replace(
      '{count}',
      String(rest),
    );
    if (minutes === 0) return secondsText;
    if (rest === 0) return minutesText;
    return data.textMinutesAndSeconds
      .replace('{minutes}', minutesText)
      .replace('{seconds}', secondsText);
  }

  function messageFor(seconds) {
    return data.textMessage.replace('{time}', timeLeftText(seconds));
  }

  /** Screen readers hear the time left each whole minute, then every 15 seconds: not every second. */
  function worthAnnouncing(seconds) {
    return seconds >= 60 ? seconds % 60 === 0 : seconds % 15 === 0;
  }

  function open(seconds) {
    returnFocusTo = document.activeElement;
    message.textContent = messageFor(seconds);
    announcement.textContent = '';
    lastShown = seconds;
    dialog.showModal();
    // Focus goes to the main action; the dialog's name and description are read with it.
    stayButton.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
    announcement.textContent = '';
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') returnFocusTo.focus();
    returnFocusTo = null;
  }

  function signedOut() {
    if (leaving) return;
    leaving = true;
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${data.signedOutUrl}&returnTo=${encodeURIComponent(here)}`);
  }

  // True while "stay signed in" is on its way to the server: the warning must not open again
  // just because the answer is slow.
  let extending = false;

  async function staySignedIn() {
    close();
    extending = true;
    try {
      const response = await window.fetch(data.keepAliveUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ _csrf: csrf ? csrf.value : '' }),
      });
      if (response.status === 401) return signedOut();
      if (!response.ok) throw new Error(`keep-alive answered ${response.status}`);
      deadline = Date.now() + (idleSeconds + 1) * 1000;
      channel?.postMessage({ deadline });
    } catch {
      // The page's own "stay signed in" link does the same without script: use it.
      const here = window.location.pathname + window.location.search;
      window.location.assign(`${data.keepAliveUrl}?returnTo=${encodeURIComponent(here)}`);
    } finally {
      extending = false;
    }
  }

  function tick() {
    const seconds = secondsLeft();
    if (seconds <= 0) return signedOut();
    if (!dialog.open) {
      if (seconds <= warningSeconds && !extending) open(seconds);
      return;
    }
    if (seconds === lastShown) return;
    lastShown = seconds;
    message.textContent = messageFor(seconds);
    if (worthAnnouncing(seconds)) announcement.textContent = messageFor(seconds);
  }

  stayButton.addEventListener('click', () => void staySignedIn());
  // Escape means "stay signed in", as in the GOV.UK pattern, rather than just hiding the warning.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    void staySignedIn();
  });
  // Keep Tab and Shift+Tab inside the dialog while it is open.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll('button:not([disabled]), [href]')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  window.setInterval(tick, 250);
  tick();
}
