// Runs the passkey ceremony the page's form asks for (data-passkey: "sign-in" or "register") with the options the
// server put in data-options, through @simplewebauthn/browser, then posts the browser's answer as `credential`.
(function () {
  const form = document.getElementById('passkey-form');
  if (!form) return;
  const button = document.getElementById('passkey-button');
  const problem = document.getElementById('passkey-problem');
  const field = form.querySelector('input[name="credential"]');
  const lib = window.SimpleWebAuthnBrowser;
  const say = function (message) {
    problem.textContent = message;
    problem.hidden = false;
  };
  if (!lib || !lib.browserSupportsWebAuthn()) {
    say(problem.dataset.sayUnsupported);
    return;
  }
  let options;
  try {
    options = JSON.parse(form.dataset.options);
  } catch (e) {
    say(problem.dataset.sayFailed);
    return;
  }
  // The browser's own error names (WebAuthn L3 §5.1.3, §5.1.4): NotAllowedError is a cancel or a timeout.
  const messageFor = function (err) {
    const name = (err && err.cause && err.cause.name) || (err && err.name);
    if (name === 'NotAllowedError' || name === 'AbortError') return problem.dataset.sayCancelled;
    if (name === 'InvalidStateError') return problem.dataset.sayExists;
    return problem.dataset.sayFailed;
  };
  button.hidden = false;
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    button.disabled = true;
    problem.hidden = true;
    try {
      const answer =
        form.dataset.passkey === 'register'
          ? await lib.startRegistration({ optionsJSON: options })
          : await lib.startAuthentication({ optionsJSON: options });
      field.value = JSON.stringify(answer);
      form.submit();
    } catch (err) {
      say(messageFor(err));
      button.textContent = problem.dataset.sayRetry;
      button.disabled = false;
    }
  });
})();
