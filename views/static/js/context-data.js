// Cognito threat protection: on submit, Amazon's context-data script (amazon-cognito-advanced-security-data.min.js,
// loaded just before this one) fingerprints the browser for the user about to sign in, and the result goes to the
// server in a hidden `contextData` field, which sends it to Cognito as UserContextData.EncodedData. Call as in the
// developer guide: AmazonCognitoAdvancedSecurityData.getData(username, userPoolId, clientId). When the script did
// not load (blocked, offline) the form is sent as it is: the field is optional.
(function () {
  const me = document.currentScript;
  if (!me) return;
  const poolId = me.dataset.poolId || '';
  const clientId = me.dataset.clientId || '';
  const knownUsername = me.dataset.username || '';
  document.addEventListener(
    'submit',
    function (event) {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      try {
        const security = window.AmazonCognitoAdvancedSecurityData;
        if (!security || typeof security.getData !== 'function') return;
        const typed = form.elements.namedItem('username');
        const username = (typed && typeof typed.value === 'string' && typed.value.trim()) || knownUsername;
        const data = security.getData(username, poolId, clientId);
        if (typeof data !== 'string' || !data) return;
        let field = form.elements.namedItem('contextData');
        if (!field) {
          field = document.createElement('input');
          field.type = 'hidden';
          field.name = 'contextData';
          form.appendChild(field);
        }
        field.value = data;
      } catch (e) {
        // Never stand between the user and the sign-in.
      }
    },
    true,
  );
})();
