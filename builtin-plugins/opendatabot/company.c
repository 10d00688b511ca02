/*
 * company.c — a plausible, deterministic company for each valid EDRPOU code.
 *
 * No registry is consulted: each field is drawn from the tables below by a
 * pseudo-random sequence seeded with the code, so demos and tests get the same
 * record for a code every time, on every machine.
 */
#include "company.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opendatabot.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const char *const legal_forms[] = {"ТОВ", "ТОВ", "ТОВ", "ПП", "ПрАТ", "АТ", "ДП"};
static const char *const name_roots[] = {
    "Агро", "Енерго", "Буд", "Торг", "Мед", "Транс", "Інвест", "Софт", "Тех", "Еко",
    "Хліб", "Метал", "Дніпро", "Карпати", "Поділля", "Світло", "Зерно", "Лан"};
static const char *const name_suffixes[] = {
    "світ", "сервіс", "альянс", "трейд", "пром", "груп", "лайн", "маркет", "постач", "ресурс", "інвест", "систем"};
static const char *const statuses[] = {"зареєстровано", "в стані припинення", "припинено"};
static const struct {
  const char *name;
  const char *postcode_prefix;
} cities[] = {
    {"Київ", "01"},     {"Київ", "03"},        {"Львів", "79"},   {"Харків", "61"},  {"Одеса", "65"},
    {"Дніпро", "49"},   {"Запоріжжя", "69"},   {"Вінниця", "21"}, {"Полтава", "36"}, {"Чернігів", "14"},
    {"Івано-Франківськ", "76"}, {"Ужгород", "88"}, {"Житомир", "10"}, {"Черкаси", "18"}, {"Суми", "40"},
    {"Рівне", "33"},    {"Луцьк", "43"},       {"Тернопіль", "46"}};
static const char *const streets[] = {
    "Шевченка", "Івана Франка", "Лесі Українки", "Грушевського", "Соборна", "Незалежності", "Січових Стрільців",
    "Богдана Хмельницького", "Садова", "Центральна", "Київська", "Степана Бандери", "Польова", "Гоголя",
    "Коцюбинського", "Лисенка", "Шкільна", "Героїв Майдану"};
/* Ukrainian surnames in -енко, -ук, -ник and the like read the same for
 * either gender, so one table serves both. */
static const char *const surnames[] = {
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Бойко", "Коваль",
    "Савченко", "Руденко", "Марченко", "Лисенко", "Мороз", "Поліщук", "Левченко", "Павленко", "Кравчук",
    "Гончаренко", "Романюк"};
static const char *const male_names[] = {
    "Олександр", "Андрій", "Сергій", "Володимир", "Дмитро", "Михайло", "Іван", "Юрій", "Богдан", "Тарас"};
static const char *const male_patronymics[] = {
    "Олександрович", "Петрович", "Іванович", "Миколайович", "Васильович", "Сергійович", "Володимирович",
    "Богданович"};
static const char *const female_names[] = {
    "Олена", "Наталія", "Ірина", "Оксана", "Тетяна", "Світлана", "Людмила", "Марія", "Ганна", "Юлія"};
static const char *const female_patronymics[] = {
    "Олександрівна", "Петрівна", "Іванівна", "Миколаївна", "Василівна", "Сергіївна", "Володимирівна",
    "Богданівна"};

/* splitmix64: a small, well-mixed generator; its whole state is the seed. */
static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint32_t pick(uint64_t *state, uint32_t count) {
  return (uint32_t)(next_random(state) % count);
}

static void write_field(odb_buffer *buffer, const char *name, const char *value, size_t length) {
  odb_buffer_puts(buffer, ",\"");
  odb_buffer_puts(buffer, name);
  odb_buffer_puts(buffer, "\":");
  odb_buffer_json_string(buffer, value, length);
}

void odb_write_company(odb_buffer *buffer, const char code[8]) {
  char terminated[9];
  for (int i = 0; i < 8; i++) terminated[i] = code[i];
  terminated[8] = '\0';

  odb_buffer_puts(buffer, "{\"code\":");
  odb_buffer_json_string(buffer, terminated, 8);
  if (!odb_edrpou_is_valid(terminated)) {
    odb_buffer_puts(buffer, ",\"valid\":false,\"error\":\"checksum mismatch\"}");
    return;
  }
  odb_buffer_puts(buffer, ",\"valid\":true");

  uint64_t state = 0;
  for (int i = 0; i < 8; i++) state = state * 10 + (uint64_t)(code[i] - '0');

  /* Every draw gets its own statement: C leaves the order in which function
   * arguments are evaluated unspecified, and the sequence must not depend on
   * the compiler. */
  const char *form = legal_forms[pick(&state, COUNT(legal_forms))];
  const char *root = name_roots[pick(&state, COUNT(name_roots))];
  const char *suffix = name_suffixes[pick(&state, COUNT(name_suffixes))];
  uint32_t status_roll = pick(&state, 100);
  uint32_t city = pick(&state, COUNT(cities));
  uint32_t postcode = pick(&state, 1000);
  const char *street = streets[pick(&state, COUNT(streets))];
  uint32_t house = 1 + pick(&state, 150);
  const char *surname = surnames[pick(&state, COUNT(surnames))];
  bool female = pick(&state, 2) == 1;
  const char *first_name =
      female ? female_names[pick(&state, COUNT(female_names))] : male_names[pick(&state, COUNT(male_names))];
  const char *patronymic = female ? female_patronymics[pick(&state, COUNT(female_patronymics))]
                                  : male_patronymics[pick(&state, COUNT(male_patronymics))];
  uint32_t year = 1992 + pick(&state, 33);
  uint32_t month = 1 + pick(&state, 12);
  uint32_t day = 1 + pick(&state, 28);

  char text[256];
  int length;

  /* The name's quotes are real '"' characters, escaped in the JSON output. */
  length = snprintf(text, sizeof text, "%s \"%s%s\"", form, root, suffix);
  write_field(buffer, "name", text, (size_t)length);

  const char *status = status_roll < 80 ? statuses[0] : status_roll < 92 ? statuses[1] : statuses[2];
  write_field(buffer, "status", status, strlen(status));

  length = snprintf(text, sizeof text, "%s%03u, Україна, м. %s, вул. %s, буд. %u", cities[city].postcode_prefix,
                    postcode, cities[city].name, street, house);
  write_field(buffer, "address", text, (size_t)length);

  length = snprintf(text, sizeof text, "%s %s %s", surname, first_name, patronymic);
  write_field(buffer, "director", text, (size_t)length);

  length = snprintf(text, sizeof text, "%04u-%02u-%02u", year, month, day);
  write_field(buffer, "registrationDate", text, (size_t)length);

  odb_buffer_puts(buffer, "}");
}
