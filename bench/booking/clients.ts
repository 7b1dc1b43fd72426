/**
 * The booking bench's clients, in a process of their own so that their HTTP work does not share
 * the server's event loop: the 100-way races, then the sustained stream. Failures are counted,
 * not thrown: a 5xx or a dropped connection is a result of the benchmark.
 */
export interface BookingWork {
  /** The API root, e.g. `http://127.0.0.1:3000/api/v1`. */
  url: string;
  therapistId: string;
  appointmentTypeId: string;
  tokens: string[];
  raceSlots: string[];
  sustainedSlots: string[];
  sustainedConcurrency: number;
}

export interface RoundResult {
  winners: number;
  serverErrors: number;
  requestErrors: number;
  latenciesMs: number[];
  wallMs: number;
}

export interface BookingResults {
  rounds: RoundResult[];
  sustained: { booked: number; serverErrors: number; requestErrors: number; latenciesMs: number[]; seconds: number };
}

async function book(work: BookingWork, token: string, start: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const response = await fetch(`${work.url}/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ therapistId: work.therapistId, appointmentTypeId: work.appointmentTypeId, start }),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

async function race(work: BookingWork, start: string): Promise<RoundResult> {
  const began = performance.now();
  const results = await Promise.all(work.tokens.map((token) => book(work, token, start)));
  return {
    winners: results.filter((result) => result.status === 201).length,
    serverErrors: results.filter((result) => result.status >= 500).length,
    requestErrors: results.filter((result) => result.status === 0).length,
    latenciesMs: results.map((result) => result.ms),
    wallMs: performance.now() - began,
  };
}

async function sustain(work: BookingWork): Promise<BookingResults['sustained']> {
  const result = { booked: 0, serverErrors: 0, requestErrors: 0, latenciesMs: [] as number[], seconds: 0 };
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: work.sustainedConcurrency }, async (_, lane) => {
      for (let index = next++; index < work.sustainedSlots.length; index = next++) {
        const { status, ms } = await book(work, work.tokens[(index + lane) % work.tokens.length]!, work.sustainedSlots[index]!);
        result.latenciesMs.push(ms);
        if (status === 201) result.booked += 1;
        if (status >= 500) result.serverErrors += 1;
        if (status === 0) result.requestErrors += 1;
      }
    }),
  );
  result.seconds = (performance.now() - began) / 1000;
  return result;
}

process.once('message', async (work: BookingWork) => {
  const rounds: RoundResult[] = [];
  for (const start of work.raceSlots) rounds.push(await race(work, start));
  const results: BookingResults = { rounds, sustained: await sustain(work) };
  process.send!(results, () => process.exit(0));
});
