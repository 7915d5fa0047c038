/**
 * English text of the sign-in, set-up and join pages (components/auth). Imported for its effect by
 * every module that uses one of these keys: it adds them to the English dictionary (see `addEnglish`),
 * so the pages that do not use them (the chat's first load) do not carry them. The Japanese is in
 * ja.ts; tests/components/i18n/split-strings.test.ts checks the imports.
 */
import { addEnglish } from "./use-t";

export const authEn = addEnglish({
  "auth.name": "Name",
  "auth.signIn": "Sign in",
  "auth.signOut": "Sign out",
  "auth.password": "Password",
  "auth.confirm": "Confirm password",
  "auth.signingIn": "Signing in…",
  "auth.signInTitle": "Sign in to Hibiki",
  "auth.asGuest": "Continue as a guest",
  "auth.sessionEnded": "You were signed out. Sign in again to go on.",
  "auth.sessionEndedDeactivated": "An admin deactivated your account, so you were signed out. Ask an admin if you think this is a mistake.",
  "auth.sessionEndedGuests": "An admin turned guest access off. Sign in with an account to go on.",
  "auth.sessionEndedPasswordReset": "An admin reset your password, so you were signed out. Ask them for the new one, then sign in with it.",
  "auth.nameRequired": "Please enter your name.",
  "auth.passwordRequired": "Please enter your password.",
  "auth.passwordLength": "Passwords must be 8 to 256 characters long.",
  "auth.passwordHint": "8 to 256 characters.",
  "auth.passwordMismatch": "The passwords do not match.",
  "auth.setupTitle": "Set up Hibiki",
  "auth.setupPage": "Set up",
  "auth.setupIntro": "Create the first account. It will be the administrator of this server.",
  "auth.setupSubmit": "Create admin account",
  "auth.settingUp": "Creating…",
  "auth.alreadySetUp": "This server is already set up.",
  "auth.goSignIn": "Go to sign in",
  "auth.joinTitle": "Join Hibiki",
  "auth.joinPage": "Join",
  "auth.joinIntro": "Choose a name and a password for your new account.",
  "auth.joinSubmit": "Create account",
  "auth.signedInAs": "You are signed in as {name}.",
  "auth.openChat": "Open the chat",
} as const);
