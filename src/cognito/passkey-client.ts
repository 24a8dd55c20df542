import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoCall } from './call.js';

/** One of the user's passkeys as ListWebAuthnCredentials describes it. */
export interface Passkey {
  id: string;
  /** Cognito's name for it (FriendlyCredentialName): it names passkeys itself. */
  name: string;
  createdAt: Date;
  /** `platform` (this device's own), `cross-platform` (a security key or a phone), or unknown. */
  attachment?: string;
}

/**
 * Passkey registration and removal with the user's access token (developer guide, "Passkey sign-in"; API reference,
 * StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential).
 * Options and credentials are WebAuthn's JSON forms (PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON),
 * passed through untouched: Cognito checks them.
 */
export interface CognitoPasskeys {
  /** Creation options for navigator.credentials.create; Cognito keeps the challenge until the registration completes. */
  startPasskeyRegistration(accessToken: string): Promise<Record<string, unknown>>;
  completePasskeyRegistration(accessToken: string, credential: Record<string, unknown>): Promise<void>;
  listPasskeys(accessToken: string): Promise<Passkey[]>;
  deletePasskey(accessToken: string, id: string): Promise<void>;
}

/** Cognito's quota is 20 passkeys a user; pages past it are not read. */
const MAX_PAGES = 5;

export function createCognitoPasskeys(client: CognitoIdentityProviderClient, call: CognitoCall): CognitoPasskeys {
  return {
    async startPasskeyRegistration(accessToken) {
      const out = await call('passkey', (abortSignal) =>
        client.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }), { abortSignal }),
      );
      const options = out.CredentialCreationOptions;
      if (typeof options !== 'object' || options === null || Array.isArray(options)) {
        throw new Error('StartWebAuthnRegistration answered without CredentialCreationOptions');
      }
      return options as Record<string, unknown>;
    },

    async completePasskeyRegistration(accessToken, credential) {
      await call('passkey', (abortSignal) =>
        client.send(
          new CompleteWebAuthnRegistrationCommand({
            AccessToken: accessToken,
            Credential: credential as CompleteWebAuthnRegistrationCommandInput['Credential'],
          }),
          { abortSignal },
        ),
      );
    },

    async listPasskeys(accessToken) {
      const passkeys: Passkey[] = [];
      let NextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const out = await call('passkey', (abortSignal) =>
          client.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, NextToken }), { abortSignal }),
        );
        for (const c of out.Credentials ?? []) {
          if (!c.CredentialId) continue;
          passkeys.push({
            id: c.CredentialId,
            name: c.FriendlyCredentialName ?? 'Passkey',
            createdAt: c.CreatedAt ?? new Date(0),
            ...(c.AuthenticatorAttachment ? { attachment: c.AuthenticatorAttachment } : {}),
          });
        }
        NextToken = out.NextToken;
        if (!NextToken) break;
      }
      return passkeys;
    },

    async deletePasskey(accessToken, id) {
      await call('passkey', (abortSignal) =>
        client.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id }), {
          abortSignal,
        }),
      );
    },
  };
}
