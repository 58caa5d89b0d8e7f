import { describe, expect, it } from 'vitest';
import { deriveUrgency, type UrgencyFacts } from './urgency';

const ASOF = '2026-06-30';
const facts = (more: Partial<UrgencyFacts> = {}): UrgencyFacts => ({
  category: 'relative',
  causes: ['3'],
  origin: 'new',
  openedOn: '2025-01-01',
  health: ['healthy', 'healthy'],
  ...more,
});

describe('deriveUrgency', () => {
  it('gives each rule in its order, the first that holds', () => {
    expect(deriveUrgency(facts({ causes: ['3', '8'], openedOn: '2026-04-02' }), ASOF)).toEqual({
      urgency: 'critical',
      reason: 'fresh_disaster',
    });
    expect(deriveUrgency(facts({ category: 'deep', health: ['healthy', 'serious'] }), ASOF)).toEqual({
      urgency: 'critical',
      reason: 'deep_and_seriously_ill',
    });
    expect(deriveUrgency(facts({ category: 'deep' }), ASOF)).toEqual({ urgency: 'urgent', reason: 'deep' });
    expect(deriveUrgency(facts({ category: 'accident' }), ASOF)).toEqual({
      urgency: 'urgent',
      reason: 'accident',
    });
    expect(deriveUrgency(facts({ causes: ['6'], health: ['serious'] }), ASOF)).toEqual({
      urgency: 'urgent',
      reason: 'seriously_ill',
    });
    expect(deriveUrgency(facts({ origin: 'relapsed', openedOn: '2026-01-02' }), ASOF)).toEqual({
      urgency: 'urgent',
      reason: 'relapsed',
    });
    expect(deriveUrgency(facts(), ASOF)).toEqual({ urgency: 'normal', reason: 'none' });
  });

  it('lets a disaster or a relapse count as recent for 90 and 180 days only', () => {
    // Opened 90 days before: no longer fresh; 89 days before: still.
    expect(deriveUrgency(facts({ causes: ['7'], openedOn: '2026-04-01' }), ASOF).reason).toBe('none');
    expect(deriveUrgency(facts({ causes: ['7'], openedOn: '2026-04-02' }), ASOF).reason).toBe(
      'fresh_disaster',
    );
    expect(deriveUrgency(facts({ origin: 'relapsed', openedOn: '2026-01-01' }), ASOF).reason).toBe('none');
  });
});
