export { BOUNDS, GRID, LEVELS, SYMBOLS } from './constants.js';
export type { DigipinSymbol } from './constants.js';
export { DigipinError } from './errors.js';
export type { DigipinErrorReason } from './errors.js';
export {
  approximateCellSize,
  containsPoint,
  decode,
  encode,
  encodeArea,
  isValid,
  normalize,
} from './digipin.js';
export type { CellSize, DigipinArea, DigipinBounds } from './digipin.js';
