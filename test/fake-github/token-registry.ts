import { randomBytes } from 'node:crypto';
import type { FakeUser } from './fake-state.ts';
import type { TokenPermissions } from './token-permissions.ts';

/**
 * Who a request acts as. `app`: the App itself (a JWT); `installation`: an installation token (acts as
 * `<slug>[bot]`); `job`: a workflow job's `GITHUB_TOKEN` (acts as `github-actions[bot]`); `user`: a personal token.
 * Installation and job tokens carry the repository permissions they were issued with; `workflows` says whether the
 * token may push changes under `.github/workflows/` (never for a job's token).
 */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'app' }
  | { kind: 'installation'; installationId: number; user: FakeUser; permissions: TokenPermissions }
  | { kind: 'job'; runId: number; user: FakeUser; permissions: TokenPermissions }
  | { kind: 'user'; user: FakeUser };

/** An identity a token can carry. */
export type TokenIdentity = Exclude<Identity, { kind: 'anonymous' } | { kind: 'app' }>;

/** What an `Authorization` header resolves to. */
export type Resolved = Identity | { kind: 'invalid' };

/** Tokens the fake issued and who each acts as. Unknown tokens are refused ("Bad credentials"). */
export class TokenRegistry {
  private readonly tokens = new Map<string, TokenIdentity>();

  /** A new token acting as `identity`, shaped like GitHub's (`ghs_…` for apps and jobs, `ghp_…` for users). */
  issue(identity: TokenIdentity): string {
    const token = `${identity.kind === 'user' ? 'ghp' : 'ghs'}_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, identity);
    return token;
  }

  /** Makes a token unusable, as a job's `GITHUB_TOKEN` is when its job ends. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Who the token acts as, or undefined. */
  lookup(token: string): TokenIdentity | undefined {
    return this.tokens.get(token);
  }

  /**
   * Resolves an `Authorization` header: `token X`, `bearer X` or `basic base64(user:X)` (git). A bearer value with
   * three dot-separated parts is a JWT and stands for the App (its signature is not checked).
   */
  resolve(header: string | undefined): Resolved {
    if (header === undefined || header.trim() === '') return { kind: 'anonymous' };
    const [scheme = '', ...rest] = header.trim().split(/\s+/);
    const value = rest.join(' ');
    let token = value;
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1);
    } else if (scheme.toLowerCase() !== 'token' && scheme.toLowerCase() !== 'bearer') {
      return { kind: 'invalid' };
    }
    if (scheme.toLowerCase() === 'bearer' && token.split('.').length === 3) return { kind: 'app' };
    return this.tokens.get(token) ?? { kind: 'invalid' };
  }
}
