// The admin token lives in this tab's sessionStorage only: it is gone when the tab closes, other
// tabs and sites never see it, and it is never put in localStorage, a cookie or a URL.

const KEY = 'fto-admin-token';

/** The token this tab signed in with, or null. */
export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage switched off: the token lives only as long as the page
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // as above
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // as above
  }
}
