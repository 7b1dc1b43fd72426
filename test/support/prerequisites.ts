import { existsSync } from 'node:fs';
import { locateWorkerBinary } from '@therapy-field/media';

// A suite whose prerequisite is missing fails with the command that installs it: it never skips,
// so a green run means every suite ran.

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The built mediasoup worker the video suites run. */
export function requireMediasoupWorker(): string {
  const location = locateWorkerBinary();
  if (!location.path) throw new Error(`${location.reason}: run ${location.fix} (the video tests need it)`);
  return location.path;
}

/** Debian's Chromium, which the browser suites drive. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run apt-get install -y chromium (the browser tests need it)`);
  return CHROMIUM_PATH;
}

export const NGINX_PATH = '/usr/sbin/nginx';

/** Debian's nginx, which the load-balancer suite runs in front of two nodes. */
export function requireNginx(): string {
  if (!existsSync(NGINX_PATH)) throw new Error(`nginx is not installed at ${NGINX_PATH}: run apt-get install -y nginx (the load-balancer test needs it)`);
  return NGINX_PATH;
}
