// Calls the API through the BFF. The session cookie goes along by itself; X-CSRF marks the call as ours.
(function () {
  const button = document.getElementById('call-api');
  const output = document.getElementById('api-result');
  if (!button || !output) return;
  button.addEventListener('click', async function () {
    button.disabled = true;
    output.textContent = 'Calling…';
    try {
      const res = await fetch(button.dataset.endpoint, {
        method: 'POST',
        headers: { 'X-CSRF': '1', Accept: 'application/json' },
        credentials: 'same-origin',
      });
      const text = await res.text();
      let shown = text;
      try {
        const parsed = JSON.parse(text);
        shown = typeof parsed === 'string' ? parsed : JSON.stringify(parsed, null, 2);
      } catch (e) {
        // not JSON: show as is
      }
      output.textContent = res.ok ? shown : 'Error ' + res.status + ': ' + shown;
      output.className = res.ok ? 'ok' : 'failed';
    } catch (e) {
      output.textContent = 'The API call failed: ' + e.message;
      output.className = 'failed';
    } finally {
      button.disabled = false;
    }
  });
})();
