/** One collection as a remittance takes it. */
export interface RemittableCollection {
  amountPaise: number;
  feePaise: number;
  feeGstPaise: number;
}

export interface RemittanceAmounts {
  articleCount: number;
  grossPaise: number;
  feesPaise: number;
  feeGstPaise: number;
  netPaise: number;
}

/**
 * What a remittance pays: every collection's amount, less each article's COD fee and the GST on it (as
 * recorded when it was collected, so each article's deduction is the same in any batch). The caller
 * refuses a batch whose deductions exceed what was collected: an operator must look at it.
 */
export function remittanceAmounts(collections: readonly RemittableCollection[]): RemittanceAmounts {
  let grossPaise = 0;
  let feesPaise = 0;
  let feeGstPaise = 0;
  for (const collection of collections) {
    grossPaise += collection.amountPaise;
    feesPaise += collection.feePaise;
    feeGstPaise += collection.feeGstPaise;
  }
  return { articleCount: collections.length, grossPaise, feesPaise, feeGstPaise, netPaise: grossPaise - feesPaise - feeGstPaise };
}
