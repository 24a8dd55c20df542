/** How a form names and types Cognito's standard attributes (OpenID Connect standard claims). */
const ATTRIBUTE_LABELS: Record<string, string> = {
  email: 'Email address',
  name: 'Full name',
  given_name: 'Given name',
  family_name: 'Family name',
  phone_number: 'Phone number (+countrycode…)',
  birthdate: 'Date of birth (YYYY-MM-DD)',
  preferred_username: 'Preferred username',
};

export const labelOf = (name: string) => ATTRIBUTE_LABELS[name] ?? name;

export interface AttributeField {
  name: string;
  label: string;
  type: 'email' | 'tel' | 'text';
}

export const attributeField = (name: string): AttributeField => ({
  name,
  label: labelOf(name),
  type: name === 'email' ? 'email' : name === 'phone_number' ? 'tel' : 'text',
});
