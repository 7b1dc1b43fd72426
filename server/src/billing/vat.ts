import type { BasisPoints } from './money.js';

/**
 * VAT as Greek e-invoicing (myDATA) codes it. Services of licensed health professionals
 * (psychologists, psychotherapists) are exempt under article 22 of the Greek VAT Code
 * (ν. 5144/2024, formerly ν. 2859/2000); a therapist whose services are not covered charges 24%.
 */
export const STANDARD_VAT_RATE: BasisPoints = 2400;

/** myDATA `vatCategory`: 1 = 24%, 7 = 0% (exempt, with an exemption category). */
export const MYDATA_VAT_CATEGORY = { standard: 1, exempt: 7 } as const;

/** myDATA `vatExemptionCategory` 7: "Χωρίς ΦΠΑ – άρθρο 22 του Κώδικα ΦΠΑ" (medical and paramedical services). */
export const HEALTH_SERVICES_EXEMPTION_CATEGORY = 7;

export const HEALTH_SERVICES_EXEMPTION_REASON = {
  el: 'Απαλλαγή από ΦΠΑ βάσει του άρθρου 22 του Κώδικα ΦΠΑ (υπηρεσίες υγείας από αδειούχο επαγγελματία υγείας)',
  en: 'Exempt from VAT under article 22 of the Greek VAT Code (health services by a licensed health professional)',
} as const;

export interface VatTreatment {
  rate: BasisPoints;
  category: number;
  exemptionCategory: number | null;
}

export function vatTreatment(exempt: boolean): VatTreatment {
  return exempt
    ? { rate: 0, category: MYDATA_VAT_CATEGORY.exempt, exemptionCategory: HEALTH_SERVICES_EXEMPTION_CATEGORY }
    : { rate: STANDARD_VAT_RATE, category: MYDATA_VAT_CATEGORY.standard, exemptionCategory: null };
}

/**
 * myDATA document types: a retail receipt for services (11.2, ΑΠΥ) to a person, an invoice for
 * services (2.1, ΤΠΥ) to a company, and their credit notes (11.4 retail, 5.1 associated credit invoice).
 */
export const MYDATA_INVOICE_TYPE = {
  receipt: '11.2',
  invoice: '2.1',
  receiptCredit: '11.4',
  invoiceCredit: '5.1',
} as const;

/**
 * Income classification of a session: services (category1_3), retail to private customers
 * (E3_561_003) or wholesale to businesses (E3_561_001).
 */
export function incomeClassification(toBusiness: boolean) {
  return { classificationCategory: 'category1_3', classificationType: toBusiness ? 'E3_561_001' : 'E3_561_003' } as const;
}
