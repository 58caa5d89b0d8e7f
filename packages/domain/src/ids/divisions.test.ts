import { describe, expect, it } from 'vitest';
import {
  divisionName,
  isKnownDivision,
  isPlausibleDivisionCode,
  knownDivisionCodes,
  lookupDivision,
} from './divisions';

describe('GB/T 2260 divisions', () => {
  it('knows current divisions with their province and prefecture', () => {
    expect(lookupDivision('640104')).toEqual({ code: '640104', name: '兴庆区', current: true });
    expect(divisionName('640104')).toBe('宁夏回族自治区 银川市 兴庆区');
    expect(divisionName('640100')).toBe('宁夏回族自治区 银川市');
    expect(divisionName('640000')).toBe('宁夏回族自治区');
    expect(isKnownDivision('640104')).toBe(true);
  });

  it('knows divisions abolished since 2002, as past', () => {
    // 崇文区 and 宣武区 of Beijing were merged into 东城区 and 西城区 in 2010.
    expect(lookupDivision('110103')).toEqual({ code: '110103', name: '崇文区', current: false });
    expect(lookupDivision('110104')?.current).toBe(false);
    // 延庆县 became 延庆区 (a new code) in 2015.
    expect(lookupDivision('110229')).toEqual({ code: '110229', name: '延庆县', current: false });
    expect(lookupDivision('110119')).toEqual({ code: '110119', name: '延庆区', current: true });
  });

  it('leaves out prefecture entries that only group counties', () => {
    expect(divisionName('110103')).toBe('北京市 崇文区');
    expect(divisionName('429004')).toBe('湖北省 仙桃市');
    expect(divisionName('640101')).toBe('宁夏回族自治区 银川市 市辖区');
  });

  it('knows the address codes of Hong Kong, Macao and Taiwan residence permits', () => {
    expect(divisionName('810000')).toBe('香港特别行政区');
    expect(divisionName('820000')).toBe('澳门特别行政区');
    expect(isKnownDivision('830000')).toBe(true);
  });

  it('does not take statistical development zones for divisions', () => {
    expect(isKnownDivision('130171')).toBe(false); // 石家庄高新技术产业开发区
    expect(isKnownDivision('320571')).toBe(false); // 苏州工业园区
  });

  it('answers undefined for unknown codes', () => {
    expect(lookupDivision('990101')).toBeUndefined();
    expect(divisionName('990101')).toBeUndefined();
    expect(isKnownDivision('64010')).toBe(false);
    expect(isKnownDivision('')).toBe(false);
  });

  it('hands out copies, so no caller can change the table', () => {
    const division = lookupDivision('640104');
    if (division) division.name = 'changed';
    expect(lookupDivision('640104')?.name).toBe('兴庆区');
  });

  it('judges unknown codes by the shape of GB/T 2260', () => {
    expect(isPlausibleDivisionCode('640102')).toBe(true); // 银川市城区, abolished in 2002
    expect(isPlausibleDivisionCode('130171')).toBe(true);
    expect(isPlausibleDivisionCode('990101')).toBe(false); // no province 99
    expect(isPlausibleDivisionCode('000000')).toBe(false);
    expect(isPlausibleDivisionCode('640001')).toBe(false); // a county under no prefecture
    expect(isPlausibleDivisionCode('710101')).toBe(false); // nothing under Taiwan on ID numbers
    expect(isPlausibleDivisionCode('810101')).toBe(false);
    expect(isPlausibleDivisionCode('64010A')).toBe(false);
    expect(isPlausibleDivisionCode('6401040')).toBe(false);
  });

  it('holds every mainland province and only well-formed codes', () => {
    const codes = knownDivisionCodes();
    expect(codes.length).toBeGreaterThan(3900);
    for (const province of [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37]) {
      expect(isKnownDivision(`${province}0000`)).toBe(true);
    }
    for (const province of [41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]) {
      expect(isKnownDivision(`${province}0000`)).toBe(true);
    }
    for (const code of codes) {
      expect(code).toMatch(/^\d{6}$/);
      expect(isPlausibleDivisionCode(code)).toBe(true);
      expect(divisionName(code)).toBeTruthy();
    }
  });
});
