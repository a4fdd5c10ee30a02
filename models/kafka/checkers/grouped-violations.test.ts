// One violation per partition and class, however many findings: the reasons it gives are bounded
// (the most frequent named, the rest counted), every finding is counted once, and the named
// reasons keep the order they happened in.
import { describe, expect, it } from 'vitest';
import { groupFindings, groupViolation, type ClassifiedFinding } from './grouped-violations.ts';

const finding = (reason: string, item: number): ClassifiedFinding<number> => ({ partition: 'orders-0', classification: 'permitted', permittedBy: 'configuration', reason, item });
const violationOf = (findings: ClassifiedFinding<number>[]) => {
  const groups = groupFindings(findings);
  expect(groups).toHaveLength(1);
  return groupViolation('lost-write', groups[0], 'body', {});
};

describe('grouped violations', () => {
  it('one reason: said as it is', () => {
    expect(violationOf([finding('acks=1', 1), finding('acks=1', 2)]).reason).toBe('acks=1');
  });

  it('a few reasons: each with its count, in the order they were first seen', () => {
    const v = violationOf([finding('b', 1), finding('a', 2), finding('a', 3)]);
    expect(v.reason).toBe('b (1); a (2)');
    expect(v.count).toBe(3);
  });

  it('many reasons: the most frequent four named in first-seen order, the rest counted, every finding once', () => {
    const findings = Array.from({ length: 60 }, (_, i) => finding(`record r${i} alone`, i));
    for (let i = 0; i < 30; i++) findings.push(finding('acks=1', 100 + i));
    const v = violationOf(findings);
    const parts = String(v.reason).split('; ');
    expect(parts).toHaveLength(5);
    // acks=1 is the most frequent; the three others named are the first seen of the singletons.
    expect(parts.slice(0, 4)).toEqual(['record r0 alone (1)', 'record r1 alone (1)', 'record r2 alone (1)', 'acks=1 (30)']);
    expect(parts[4]).toBe('and 57 other reasons (57)');
    expect(v.count).toBe(90);
  });

  it('a cause every reason names is said once: alone, or with what else each needed', () => {
    const u = 'unclean.leader.election.enable=true: unclean election of b2 at 5.000s (epoch 3 from offset 37, its log end when it took over at 5.002s)';
    expect(violationOf([finding(`acks=1 and ${u}`, 1), finding(u, 2), finding(u, 3)]).reason).toBe(`${u}: with acks=1 too (1); alone (2)`);
    expect(violationOf([finding(`acks=1 and ${u}`, 1), finding(`acks=0 and ${u}`, 2)]).reason).toBe(`${u}: with acks=1 too (1); with acks=0 too (1)`);
    // decoys: reasons that share no whole cause are named each as they are
    expect(violationOf([finding('acks=1', 1), finding(`acks=1 and ${u}`, 2)]).reason).toBe(`acks=1 (1); acks=1 and ${u} (1)`);
    expect(violationOf([finding('a and b', 1), finding('c and bb', 2)]).reason).toBe('a and b (1); c and bb (1)');
  });

  it('partitions and classes apart', () => {
    const groups = groupFindings([finding('acks=1', 1), { ...finding('x', 2), partition: 'orders-1' }, { ...finding('y', 3), classification: 'breach' }]);
    expect(groups.map((g) => [g.partition, g.classification])).toEqual([
      ['orders-0', 'breach'],
      ['orders-0', 'permitted'],
      ['orders-1', 'permitted'],
    ]);
  });

  it('a finding names every known flaw its reasons blame in `flaws`, those cut from the message too', () => {
    const blame = (fix: string, i: number): ClassifiedFinding<number> => ({ ...finding(`Kafka 2.1: ${fix}, fixed in Kafka 9.9: record r${i}`, i), permittedBy: 'version' });
    const findings = [...Array.from({ length: 6 }, (_, i) => blame('KIP-380', i)), blame('KIP-279 (KAFKA-6361)', 7), { ...blame('KIP-999', 8) }];
    const v = violationOf(findings);
    expect(String(v.reason)).not.toContain('KIP-279');
    // KIP-999 is no flaw the versions have: not named
    expect(v.flaws).toEqual(['KIP-380', 'KIP-279', 'KAFKA-6361']);
    expect(violationOf([finding('acks=1', 1)]).flaws).toBeUndefined();
    expect(violationOf([{ ...finding('b2 was taken back into the ISR: KIP-903, fixed in Kafka 3.5', 1), classification: 'breach' }]).flaws).toEqual(['KIP-903']);
  });

  it("labels the two names of one fix as that fix, so a summary counts the finding once; a fix's only name stays itself", () => {
    const blame = (text: string, i: number): ClassifiedFinding<number> => ({ ...finding(text, i), permittedBy: 'version' });
    const zombie = violationOf([blame('Kafka 2.0: KIP-320 (KAFKA-6880), fixed in Kafka 2.1: b3 fetched records of epoch 4', 1)]);
    expect(zombie.flaws).toEqual(['KIP-320', 'KAFKA-6880']);
    expect(zombie.flawLabels).toEqual({ 'KIP-320': 'KIP-320 (KAFKA-6880)', 'KAFKA-6880': 'KIP-320 (KAFKA-6880)' });
    // a JIRA named alone is still the fix that carries it
    expect(violationOf([blame('KAFKA-6361 alone', 1)]).flawLabels).toEqual({ 'KAFKA-6361': 'KIP-279 (KAFKA-6361)' });
    // KIP-966 alone is ELR, not KAFKA-15583 (KIP-966); quoted with KAFKA-15583 it is that fix
    const elr = violationOf([blame("KIP-966's last replica standing", 1)]);
    expect([elr.flaws, elr.flawLabels]).toEqual([['KIP-966'], undefined]);
    expect(violationOf([blame('KAFKA-15583 (KIP-966), fixed in Kafka 3.7', 1)]).flawLabels).toEqual({ 'KAFKA-15583': 'KAFKA-15583 (KIP-966)', 'KIP-966': 'KAFKA-15583 (KIP-966)' });
    expect(violationOf([blame('KIP-380, fixed in Kafka 2.2', 1)]).flawLabels).toBeUndefined();
  });
});
