import { badInput } from '@dakgraph/graphql-kit';
import { decode, DigipinError, encodeArea, type DigipinArea } from '@dakgraph/digipin';

/** Runs a DIGIPIN operation, turning its validation errors into BAD_USER_INPUT with the library's message. */
function digipinInput<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DigipinError) throw badInput(error.message, field);
    throw error;
  }
}

export const digipinAreaOf = (latitude: number, longitude: number): DigipinArea =>
  digipinInput('latitude', () => encodeArea(latitude, longitude));

export const decodeDigipin = (code: string, field = 'code'): DigipinArea => digipinInput(field, () => decode(code));

export interface Point {
  latitude: number;
  longitude: number;
}

/** Reads a LocationInput: exactly one of a DIGIPIN (its cell centre) or a latitude/longitude pair. */
export function pointOf(near: { latitude?: number | null; longitude?: number | null; digipin?: string | null }): Point {
  const hasCoordinates = near.latitude != null || near.longitude != null;
  if (near.digipin != null) {
    if (hasCoordinates) throw badInput('Give either a digipin or latitude and longitude, not both', 'near');
    const area = decodeDigipin(near.digipin, 'near.digipin');
    return { latitude: area.latitude, longitude: area.longitude };
  }
  if (near.latitude == null || near.longitude == null) {
    throw badInput('Give a digipin, or both latitude and longitude', 'near');
  }
  // Encoding validates the range with the same messages as encodeDigipin.
  digipinInput('near', () => encodeArea(near.latitude!, near.longitude!));
  return { latitude: near.latitude, longitude: near.longitude };
}
