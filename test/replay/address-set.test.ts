import { AddressSet, ipv4OrderKey, ipv4OrderText } from '../../lib/replay/address-set';
import { CappedSet } from '../../lib/replay/bounded';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function address(rand: () => number): string {
  const octet = () => String(rand() < 0.5 ? Math.floor(rand() * 12) : Math.floor(rand() * 256));
  const r = rand();
  if (r < 0.03) return `fd00::${Math.floor(rand() * 99)}`;
  if (r < 0.05) return `10.0.0${Math.floor(rand() * 9)}.1`;
  return `${octet()}.${octet()}.${octet()}.${octet()}`;
}

describe('IPv4 order keys', () => {
  it('order like the texts and give the text back', () => {
    const rand = random(7);
    const texts = Array.from({ length: 3000 }, () => address(rand)).filter((t) => !t.includes(':'));
    for (let i = 1; i < texts.length; i++) {
      const a = texts[i - 1];
      const b = texts[i];
      const ka = ipv4OrderKey(a);
      const kb = ipv4OrderKey(b);
      if (ka < 0 || kb < 0) continue;
      expect([a, b, Math.sign(ka - kb)]).toEqual([a, b, a < b ? -1 : a > b ? 1 : 0]);
      expect(ipv4OrderText(ka)).toBe(a);
    }
  });

  it.each([
    '010.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.4 ',
    '1..3.4',
    'a.b.c.d',
    '',
    '1.2.3.1000',
  ])('%j is not one', (text) => expect(ipv4OrderKey(text)).toBe(-1));
});

describe('AddressSet', () => {
  it.each([1, 3, 16])('keeps what a CappedSet(%i) keeps, IPv6 and odd texts included', (cap) => {
    const rand = random(cap + 11);
    for (let round = 0; round < 300; round++) {
      const set = new AddressSet(cap);
      const reference = new CappedSet(cap);
      for (let i = Math.floor(rand() * 40); i > 0; i--) {
        const v = address(rand);
        set.add(v);
        reference.add(v);
        if (rand() < 0.05) expect([set.sorted(), set.more]).toEqual([reference.sorted(), reference.more]);
      }
      if (rand() < 0.3) {
        const other = ['1.1.1.1', '9.9.9.9'];
        set.merge(other, true);
        reference.merge(other, true);
      }
      expect([set.sorted(), set.more]).toEqual([reference.sorted(), reference.more]);
    }
  });
});
