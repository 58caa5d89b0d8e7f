// Pure rules without I/O, shared by the server and the web app. The modules to come add here
// ID number checks (GB 11643), eligibility rule sets, benefit caps and statutory deadlines.

export * from './calendar';
export * from './dates';
export * from './ids';
export * from './money';
export * from './policy';
export * from './registry/lifecycle';
