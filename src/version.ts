/** This package's version (checked against package.json by a test). */
export const VERSION = '0.4.0';
