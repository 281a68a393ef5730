import { encode } from '@dakgraph/digipin';
import type { Random } from './random';

/**
 * Senders and addressees for the demo: made-up people with names from across India, mobile numbers of
 * the right shape, and addresses in the pincode of the office that serves them. Nothing here is anyone's
 * real data; the numbers are drawn from a range no operator has allotted (they still pass the graph's
 * "ten digits starting 6-9" check, which is all it asks).
 */

const GIVEN_NAMES = [
  'Aarav', 'Aditi', 'Amit', 'Ananya', 'Anjali', 'Arjun', 'Asha', 'Ayesha', 'Bhavna', 'Deepak', 'Divya', 'Farhan',
  'Gaurav', 'Geeta', 'Harpreet', 'Imran', 'Ishita', 'Jaya', 'Karan', 'Kavya', 'Lakshmi', 'Manoj', 'Meera', 'Mohan',
  'Nandini', 'Naveen', 'Neha', 'Nikhil', 'Pooja', 'Pradeep', 'Priya', 'Rahul', 'Rajesh', 'Ramesh', 'Ravi', 'Rekha',
  'Rohit', 'Sakshi', 'Sanjay', 'Sara', 'Shreya', 'Simran', 'Sneha', 'Suresh', 'Tanvi', 'Tenzin', 'Usha', 'Varun',
  'Vikram', 'Vinod', 'Yamini', 'Zoya', 'Anil', 'Bijoy', 'Chitra', 'Dolly', 'Gopal', 'Joseph', 'Lalit', 'Mary',
] as const;

const FAMILY_NAMES = [
  'Sharma', 'Verma', 'Gupta', 'Singh', 'Kumar', 'Patel', 'Shah', 'Reddy', 'Rao', 'Nair', 'Menon', 'Iyer',
  'Pillai', 'Das', 'Bose', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Ghosh', 'Sen', 'Khan', 'Ansari', 'Qureshi',
  'Sheikh', 'Fernandes', "D'Souza", 'Joshi', 'Kulkarni', 'Deshpande', 'Patil', 'Pawar', 'Jadhav', 'Yadav',
  'Mishra', 'Tiwari', 'Pandey', 'Dubey', 'Chauhan', 'Rathore', 'Gill', 'Sandhu', 'Dhillon', 'Bhutia', 'Lepcha',
  'Sangma', 'Marak', 'Hazarika', 'Barua', 'Gogoi', 'Mohanty', 'Panda', 'Naidu', 'Gowda', 'Hegde', 'Shetty',
] as const;

const STREETS = [
  'MG Road', 'Station Road', 'Gandhi Nagar', 'Nehru Street', 'Subhash Marg', 'Temple Street', 'Bazaar Road',
  'Main Road', 'Church Road', 'Lake View Colony', 'Shivaji Nagar', 'Rajendra Nagar', 'Civil Lines', 'Old Market',
  'Ambedkar Colony', 'Hospital Road', 'College Road', 'Mill Compound', 'Sector 4', 'Ward No 7',
] as const;

export interface Party {
  name: string;
  phone: string;
  addressLines: string[];
  pincode: string;
  digipin?: string;
}

/** Where a person lives: the office that serves them. */
export interface Locality {
  name: string;
  pincode: string;
  district: string;
  latitude: number;
  longitude: number;
}

export function personName(random: Random): string {
  return `${random.pick(GIVEN_NAMES)} ${random.pick(FAMILY_NAMES)}`;
}

/** A mobile number "+91 9xxxxxxxxx"; always ten digits starting 6-9. */
export function mobileNumber(random: Random): string {
  return `+91${random.int(6, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}`;
}

/**
 * A door near the pincode's centroid (within about a kilometre, the scale of a delivery beat), as its
 * DIGIPIN: the graph stores it with the address, and postmen's handhelds show it.
 */
function doorDigipin(random: Random, locality: Locality): string | undefined {
  const latitude = locality.latitude + (random.next() - 0.5) * 0.018;
  const longitude = locality.longitude + (random.next() - 0.5) * 0.018;
  try {
    return encode(latitude, longitude);
  } catch {
    // A centroid at the very edge of DIGIPIN's box could be pushed out of it; the door is then left without one.
    return undefined;
  }
}

/** A person at a house in `locality`. */
export function resident(random: Random, locality: Locality): Party {
  const digipin = doorDigipin(random, locality);
  return {
    name: personName(random),
    phone: mobileNumber(random),
    addressLines: [`${random.int(1, 480)}, ${random.pick(STREETS)}`, `${locality.name}, ${locality.district}`.slice(0, 100)],
    pincode: locality.pincode,
    ...(digipin ? { digipin } : {}),
  };
}

/** A partner's warehouse as the return address of its parcels. */
export function warehouse(random: Random, partnerName: string, locality: Locality): Party {
  return {
    name: `${partnerName} Fulfilment Centre`.slice(0, 100),
    phone: mobileNumber(random),
    addressLines: [`Plot ${random.int(1, 120)}, Industrial Area`, `${locality.name}, ${locality.district}`.slice(0, 100)],
    pincode: locality.pincode,
  };
}

/** Who takes the article at the door: mostly the addressee, sometimes someone of the household. */
export function receiverAtDoor(random: Random, addressee: string): string {
  if (random.chance(0.8)) return addressee;
  const family = addressee.split(' ').slice(-1)[0];
  return `${random.pick(GIVEN_NAMES)} ${family} (${random.pick(['spouse', 'son', 'daughter', 'parent', 'neighbour'])})`;
}

/** A UPI id a payer might have, for the simulated provider's callback. */
export function payerVpa(random: Random, name: string): string {
  const handle = name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '');
  return `${handle}${random.int(1, 99)}@${random.pick(['okaxis', 'oksbi', 'okicici', 'ybl', 'paytm', 'upi'])}`;
}
