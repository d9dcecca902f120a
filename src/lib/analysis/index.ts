/** The analysis engine's public surface: the CLI and the app import only from here. */
export * from './analyze';
export * from './artifacts';
export * from './coherence';
export * from './frequency';
export * from './indices';
export * from './nonlinear';
export * from './rr-file';
export * from './time-domain';
export { resampleRr } from './resample';
export { smoothnessPriorsDetrend } from './detrend';
export { welch, type Spectrum } from './welch';
export { lombScargle } from './lomb';
export { rollingMedian } from './rolling';
export * from './session';
export * from './live-metrics';
export * from './student-t';
export * from './trends';
export * from './compare';
