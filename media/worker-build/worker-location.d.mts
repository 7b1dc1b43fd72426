export declare const BUILD_COMMAND: string;
export declare const BINARY_NAME: string;
export declare function findMediasoup(): string | undefined;
export declare function cacheRoot(): string;
export declare function cachedWorkerPath(mediasoupDir: string): string;
export type WorkerBinaryLocation = { path: string; reason?: undefined; fix?: undefined } | { path?: undefined; reason: string; fix: string };
export declare function locateWorkerBinary(env?: Record<string, string | undefined>): WorkerBinaryLocation;
