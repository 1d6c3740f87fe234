import { describe, expect, it } from 'vitest';
import { idleSecondsLeft, KIOSK_IDLE, parseSeconds, pinProblem } from './kiosk';

describe('kiosk rules', () => {
  it('accepts a PIN of 4-8 digits and says what is wrong with any other', () => {
    expect(pinProblem('2468')).toBeNull();
    expect(pinProblem('24681357', '24681357')).toBeNull();
    expect(pinProblem('12a4')).toMatch(/digits only/);
    expect(pinProblem('')).toMatch(/digits only/);
    expect(pinProblem('123')).toMatch(/4 to 8/);
    expect(pinProblem('123456789')).toMatch(/4 to 8/);
    expect(pinProblem('1111')).toMatch(/repeated/);
    expect(pinProblem('2468', '2486')).toMatch(/differ/);
  });
  it('reads seconds within limits', () => {
    expect(parseSeconds(' 60 ', KIOSK_IDLE, 'Idle time')).toBe(60);
    expect(parseSeconds('4', KIOSK_IDLE, 'Idle time')).toBe('Idle time must be between 5 and 3600 seconds.');
    expect(parseSeconds('1.5', KIOSK_IDLE, 'Idle time')).toMatch(/whole number/);
    expect(parseSeconds('', KIOSK_IDLE, 'Idle time')).toMatch(/whole number/);
  });
  it('counts the idle time down from the last input', () => {
    expect(idleSecondsLeft(1000, 1000, 60)).toBe(60);
    expect(idleSecondsLeft(1000, 1001, 60)).toBe(60);
    expect(idleSecondsLeft(1000, 59_500, 60)).toBe(2);
    expect(idleSecondsLeft(1000, 60_000, 60)).toBe(1);
    expect(idleSecondsLeft(1000, 61_000, 60)).toBe(0);
    expect(idleSecondsLeft(1000, 99_000, 60)).toBe(0);
  });
});
