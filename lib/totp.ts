// The one place RFC 6238 codes and otpauth:// URIs are made, for the user provider (enrolment),
// `npm run verify` (the SOFTWARE_TOKEN_MFA challenge) and `npm run local` (the authenticator URI).
// Cognito's TOTP is the authenticator-app default: SHA-1, 6 digits, 30-second steps, and its
// SecretCode is the key in base32. Pure: no I/O.

import { Secret, TOTP } from "otpauth";

/** The parameters Cognito's software tokens use (and authenticator apps assume when a URI omits them). */
const cognitoTotp = { algorithm: "SHA1", digits: 6, period: 30 } as const;

function totpOf(secret: string, issuer?: string, account?: string): TOTP {
    return new TOTP({ ...cognitoTotp, secret: Secret.fromBase32(secret.replace(/\s+/g, "")), issuer, label: account });
}

/** The 6-digit code for `secret` (Cognito's base32 SecretCode) at `at` (default: now). */
export function totpCode(secret: string, at: Date = new Date()): string {
    return totpOf(secret).generate({ timestamp: at.getTime() });
}

/**
 * The `otpauth://totp/<issuer>:<account>?...` URI an authenticator app reads (from a QR code):
 * label `<issuer>:<account>`, with the issuer also as a parameter, as Google's key-URI format asks.
 * It contains the secret: show it only when the user asked for it.
 */
export function otpauthUri(secret: string, issuer: string, account: string): string {
    return totpOf(secret, issuer, account).toString();
}

/** Milliseconds until the code for `at` stops being the current one (to avoid answering with a code about to expire). */
export function msLeftInStep(at: Date = new Date()): number {
    const periodMs = cognitoTotp.period * 1000;
    return periodMs - (at.getTime() % periodMs);
}
