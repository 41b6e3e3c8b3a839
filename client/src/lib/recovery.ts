/**
 * A new member's recovery code is shown once, on the board they land on after creating or joining.
 * It waits in sessionStorage for that page (this tab only) and is forgotten once they saved it.
 */
const key = (groupId: string) => `huzhu.recovery.${groupId}`;

export function rememberNewRecoveryCode(groupId: string, code: string | undefined) {
  if (!code) return;
  try {
    sessionStorage.setItem(key(groupId), code);
  } catch {
    // Storage disabled: the code cannot be carried to the board; the owner can re-issue one.
  }
}

export function pendingRecoveryCode(groupId: string): string | null {
  try {
    return sessionStorage.getItem(key(groupId));
  } catch {
    return null;
  }
}

export function forgetRecoveryCode(groupId: string) {
  try {
    sessionStorage.removeItem(key(groupId));
  } catch {
    // Nothing stored.
  }
}
