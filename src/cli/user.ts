import { userInfo } from 'node:os';

/** Who the CLI charges: --user, else the login name. */
export function currentUser(): string {
  try {
    return process.env.FIREBREAK_USER ?? userInfo().username;
  } catch {
    return process.env.USER ?? 'cli-user';
  }
}
