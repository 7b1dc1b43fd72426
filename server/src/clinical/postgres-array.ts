/** A text[] literal, so an empty list and null stay distinct through Sequelize's replacements. */
export function postgresArray(values: string[] | null): string | null {
  return values === null ? null : `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
