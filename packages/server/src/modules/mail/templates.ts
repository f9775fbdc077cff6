import type { Mail } from './outbox.js';

const footer = (publicUrl: string) => `\n--\npmkit at ${publicUrl}\n`;

export function invitationMail(input: {
  to: string;
  orgName: string;
  inviter: string;
  role: string;
  token: string;
  publicUrl: string;
  expiresAt: Date;
}): Mail {
  return {
    to: input.to,
    subject: `${input.inviter} invited you to ${input.orgName} on pmkit`,
    text: `${input.inviter} invited you to join ${input.orgName} as ${input.role}.

Accept from the command line:

  pm invite accept ${input.token}

or with the API: POST ${input.publicUrl}/v1/invitations/${input.token}/accept

New to this server? Register first; your address comes from the invitation:

  pm auth register --invitation ${input.token}

or, in a script, with the password on stdin:

  printf '%s\\n' "$PASSWORD" | pm auth register --invitation ${input.token} --password-stdin

Token: ${input.token}
This invitation expires at ${input.expiresAt.toISOString()}.
${footer(input.publicUrl)}`,
  };
}

export function verifyEmailMail(input: { to: string; token: string; publicUrl: string }): Mail {
  return {
    to: input.to,
    subject: 'Confirm your e-mail address for pmkit',
    text: `Confirm this address with:

  pm auth verify ${input.token}

or POST ${input.publicUrl}/v1/auth/verify-email with {"token": "${input.token}"}.

Token: ${input.token}
${footer(input.publicUrl)}`,
  };
}

export function passwordResetMail(input: {
  to: string;
  token: string;
  publicUrl: string;
  ttlMinutes: number;
}): Mail {
  return {
    to: input.to,
    subject: 'Reset your pmkit password',
    text: `Someone (we hope you) asked to reset the password of this account. Set a new one with:

  pm auth reset --token ${input.token} --password-stdin

or POST ${input.publicUrl}/v1/auth/password-reset/confirm. The token works once, for ${input.ttlMinutes} minutes.
If you did not ask for this, ignore this mail: your password is unchanged.

Token: ${input.token}
${footer(input.publicUrl)}`,
  };
}
