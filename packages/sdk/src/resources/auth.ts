import type { Http, RequestOptions } from "../http.ts";
import type { TokenPair } from "../token-store.ts";
import type { Organization, User } from "./me.ts";

export interface SignupInput {
  email: string;
  password: string;
  name: string;
  /** Required unless `invitationToken` is given. */
  organizationName?: string;
  invitationToken?: string;
}

export interface LoginInput {
  email: string;
  password: string;
  invitationToken?: string;
}

export interface SignupResult extends TokenPair {
  user: User;
  organization: Organization;
}

export interface LoginResult extends TokenPair {
  user: User;
  organizations: Organization[];
}

/** Signing up and in keeps the returned tokens in the client's token store. */
export function authResource(http: Http) {
  const keep = <T extends TokenPair>(result: T): T => {
    http.tokenStore.set({ accessToken: result.accessToken, refreshToken: result.refreshToken });
    return result;
  };
  return {
    async signup(input: SignupInput, options?: RequestOptions): Promise<SignupResult> {
      return keep(await http.post<SignupResult>("/auth/signup", input, { ...options, anonymous: true }));
    },
    async login(input: LoginInput, options?: RequestOptions): Promise<LoginResult> {
      return keep(await http.post<LoginResult>("/auth/login", input, { ...options, anonymous: true }));
    },
    /** Revokes the refresh token (and its whole rotation family) and forgets the tokens. */
    async logout(options?: RequestOptions): Promise<void> {
      const tokens = http.tokenStore.get();
      try {
        if (tokens) {
          await http.post<void>(
            "/auth/logout",
            { refreshToken: tokens.refreshToken },
            { ...options, anonymous: true },
          );
        }
      } finally {
        http.tokenStore.set(null);
      }
    },
    isSignedIn(): boolean {
      return http.tokenStore.get() !== null;
    },
  };
}
