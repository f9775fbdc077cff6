import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** picocolors with an explicit switch, so NO_COLOR and pipes are decided by us, not by it. */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
