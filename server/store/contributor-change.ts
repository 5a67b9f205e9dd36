/** A contributor who appeared, moved or left (for the in-memory map model). */
export interface ContributorChange {
  tag: string;
  acct: string;
  /** City before the change, or null when they were not on the map. */
  from: number | null;
  /** City after the change, or null when they left the map. */
  to: number | null;
  /** When they joined this campaign's map (ISO): set when they appear or leave, for joins per day. */
  joinedAt?: string;
  /**
   * Whether the row was, and is, a linked pair shown as one (server/store/links.ts): a pair counts in
   * both networks' figures, an account alone in its own. Absent: alone before and after.
   */
  paired?: { from: boolean; to: boolean };
}
