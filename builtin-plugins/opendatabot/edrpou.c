/*
 * edrpou.c — the EDRPOU control digit.
 *
 * The algorithm, as implemented alike by python-stdnum (stdnum/ua/edrpou.py)
 * and the UkraineTaxidEx library, with the "10 twice gives 0" rule of the
 * ОКПО-family control-number methodology that EDRPOU inherits:
 *
 *   1. Weights for the first seven digits: 1 2 3 4 5 6 7, or 7 1 2 3 4 5 6
 *      when the code lies between 30000000 and 60000000 (first digit 3, 4
 *      or 5).
 *   2. r = (sum of digit * weight) mod 11.
 *   3. If r is 10, compute again with every weight increased by 2
 *      (3 4 5 6 7 8 9, or 9 3 4 5 6 7 8). If that is 10 again, the control
 *      digit is 0.
 *   4. The eighth digit must equal r.
 *
 * The sources word the range differently (30000000 < code < 60000000 on the
 * whole code, or the first digit in 3...5); the codes where the wordings
 * disagree, 30000000 and 60000000, fail the check under both, so validity is
 * the same. python-stdnum rejects a code whose second pass gives 10 instead
 * of taking 0; the methodology's rule (0) is the one followed here.
 *
 * Examples: 32855961 (weights 7 1 2 ..., valid), 14360570 (1 2 3 ..., valid),
 * 21133352 (second pass, valid), 32855968 (invalid).
 */
#include "opendatabot.h"

#include <stddef.h>

int32_t odb_edrpou_check_digit(int64_t first_seven) {
  if (first_seven < 0 || first_seven > 9999999) return -1;
  int digits[7];
  int64_t rest = first_seven;
  for (int i = 6; i >= 0; i--) {
    digits[i] = (int)(rest % 10);
    rest /= 10;
  }
  static const int base[7] = {1, 2, 3, 4, 5, 6, 7};
  static const int alternative[7] = {7, 1, 2, 3, 4, 5, 6};
  const int *weights = (digits[0] >= 3 && digits[0] <= 5) ? alternative : base;

  for (int extra = 0; extra <= 2; extra += 2) {
    int sum = 0;
    for (int i = 0; i < 7; i++) sum += digits[i] * (weights[i] + extra);
    int remainder = sum % 11;
    if (remainder < 10) return remainder;
  }
  return 0;
}

bool odb_edrpou_is_valid(const char *code) {
  if (code == NULL) return false;
  int64_t first_seven = 0;
  for (int i = 0; i < 8; i++) {
    if (code[i] < '0' || code[i] > '9') return false;
    if (i < 7) first_seven = first_seven * 10 + (code[i] - '0');
  }
  if (code[8] != '\0') return false;
  return odb_edrpou_check_digit(first_seven) == code[7] - '0';
}
