import type { ChallengeName } from './names.js';
import type { OperationContext } from './operation.js';
import type { AppClient, ChallengeSession, User, UserPool } from './state.js';
import type { AuthenticationResult } from './tokens.js';

/** What InitiateAuth and RespondToAuthChallenge answer: tokens, or the next challenge with its session. */
export type AuthResponse =
  | { ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }
  | {
      ChallengeName: ChallengeName;
      Session: string;
      ChallengeParameters: Record<string, string>;
      /** SELECT_CHALLENGE only: the first factors the user may choose from (a response member of its own). */
      AvailableChallenges?: ChallengeName[];
    };

/** Where a sign-in step runs: the client it was called with, and a way to hand the user the next challenge. */
export interface AuthStep {
  ctx: OperationContext;
  pool: UserPool;
  client: AppClient;
  /** Opens a session for the challenge and answers with it and the challenge's parameters. */
  challenge(user: User, name: ChallengeName): AuthResponse;
}

/** InitiateAuth's members besides `AuthParameters` that a flow may read. */
export interface AuthFlowRequest {
  /** The `Session` ConfirmSignUp answered, which USER_AUTH accepts as the first factor. */
  session?: string | undefined;
}

/** One InitiateAuth flow (an entry of the AuthFlow table): checks `AuthParameters` and signs in or challenges. */
export type AuthFlowHandler = (
  step: AuthStep,
  params: Record<string, string>,
  request: AuthFlowRequest,
) => Promise<AuthResponse>;

/** One challenge (an entry of the ChallengeName table). */
export interface ChallengeHandler {
  /**
   * The ChallengeParameters sent when the challenge is raised. `session` is the challenge's new session record, where
   * a challenge that sends a code keeps it.
   */
  parameters(step: Omit<AuthStep, 'challenge'>, user: User, session: ChallengeSession): Record<string, string>;
  /**
   * Checks the answer for `user`, whose session was already matched. Calls `end()` to consume the session once the
   * answer is accepted; leaving it open lets the user retry (as Cognito does after a password policy failure).
   */
  respond(
    step: AuthStep,
    answer: { user: User; session: ChallengeSession; responses: Record<string, string>; end(): void },
  ): Promise<AuthResponse>;
}
