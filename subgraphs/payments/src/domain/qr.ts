import QRCode from 'qrcode';

/**
 * The QR code a counter shows (or a citizen app draws) for a UPI deep link, made with the `qrcode`
 * library. Error correction M (15% of the symbol may be damaged: a scratched screen, a glare) and a
 * quiet zone of 4 modules, which the QR standard asks for and phone scanners rely on.
 */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** An SVG document of the code (scalable: print it any size). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}

/** A PNG of the code, 8 pixels a module, in base64 (for an <img src="data:image/png;base64,...">). */
export async function qrPngBase64(text: string): Promise<string> {
  const png = await QRCode.toBuffer(text, { ...OPTIONS, type: 'png', scale: 8 });
  return png.toString('base64');
}
