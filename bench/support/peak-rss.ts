/** This process's peak resident set so far, in MB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** The resident set right now, in MB: what a process holds before the measured work starts. */
export function currentRssMb(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}
