import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { open } from 'node:fs/promises';
import { StartupError } from '../config/index.js';

/**
 * A backup file: `MAGIC | iv (12) | AES-256-GCM ciphertext of the gzipped dump | tag (16)`. The
 * magic is authenticated too, so neither the body nor the header can be changed unnoticed.
 */
const MAGIC = Buffer.from('TFBACKUP1\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function backupCipher(key: Buffer): { header: Buffer; cipher: CipherGCM } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(MAGIC);
  return { header: Buffer.concat([MAGIC, iv]), cipher };
}

/** The decipher for `file`, its tag already set, and the byte range of the ciphertext. */
export async function backupDecipher(file: string, key: Buffer): Promise<{ decipher: DecipherGCM; start: number; end: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(MAGIC.length + IV_BYTES);
    const tag = Buffer.alloc(TAG_BYTES);
    await handle.read(header, 0, header.length, 0);
    if (size < header.length + TAG_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) throw new StartupError(`restore: ${file} is not a Therapy Field backup`);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length));
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(tag);
    return { decipher, start: header.length, end: size - TAG_BYTES - 1 };
  } finally {
    await handle.close();
  }
}
