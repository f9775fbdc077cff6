/** The form addresses are compared in: the same mailbox however it was typed. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
