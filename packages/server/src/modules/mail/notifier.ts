/** Wakes whatever delivers queued work (the job worker) after a transaction queued mail. */
export interface Notifier {
  nudge(): void;
}
