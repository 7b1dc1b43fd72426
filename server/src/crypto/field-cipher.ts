import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for clinical columns. A sealed value is self-describing —
 * `[version][key id length][key id][iv][tag][ciphertext]` — so any key in the ring opens it and
 * rows can be re-encrypted under a new key one by one.
 */
export class FieldCipher {
  constructor(
    private readonly keys: Map<string, Buffer>,
    readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`encryption key ${currentKeyId} is not in the key ring`);
  }

  encrypt(plaintext: string): Buffer {
    const keyId = Buffer.from(this.currentKeyId, 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION, keyId.length]), keyId, iv, cipher.getAuthTag(), ciphertext]);
  }

  decrypt(sealed: Buffer): string {
    const { keyId, iv, tag, ciphertext } = parse(sealed);
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`encryption key ${keyId} is not in the key ring`);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }

  keyIdOf(sealed: Buffer): string {
    return parse(sealed).keyId;
  }

  /** Null passes through, so optional clinical columns need no special case. */
  encryptNullable(plaintext: string | null | undefined): Buffer | null {
    return plaintext == null ? null : this.encrypt(plaintext);
  }

  decryptNullable(sealed: Buffer | null | undefined): string | null {
    return sealed == null ? null : this.decrypt(sealed);
  }
}

function parse(sealed: Buffer) {
  if (sealed[0] !== FORMAT_VERSION) throw new Error('unknown encrypted value format');
  const keyIdLength = sealed[1]!;
  let offset = 2;
  const keyId = sealed.subarray(offset, (offset += keyIdLength)).toString('utf8');
  const iv = sealed.subarray(offset, (offset += IV_BYTES));
  const tag = sealed.subarray(offset, (offset += TAG_BYTES));
  return { keyId, iv, tag, ciphertext: sealed.subarray(offset) };
}
