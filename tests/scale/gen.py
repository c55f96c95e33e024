#!/usr/bin/env python3
"""Writes N varied news-like articles as JSON Lines (for tests/scale): events of several kinds
in several towns on several days, each announced by a few articles published a few days
before it, so that they merge."""
import json, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
towns = ['Bolton', 'Wigan', 'Bury', 'Leigh', 'Salford', 'Oldham', 'Rochdale', 'Stockport', 'Manchester', 'Preston']
kinds = ['protest', 'vigil', 'rally', 'march', 'strike', 'public meeting', 'demonstration', 'festival']
venues = ['the town hall steps', 'Queens Park', 'Victoria Square', 'the Market Place', 'St Peter\'s Church']
months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
          'November', 'December']
days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
filler = ['Residents said the decision had been a long time coming.',
          'A spokesperson for the council declined to comment when asked on Tuesday.',
          'Organisers expect several hundred people to attend.',
          'The group was founded in 2019 and has held similar events since.',
          'Police said they were aware of the plans.']
for i in range(n):
    k = i % 37  # events repeat every 37 articles, so some are reported twice
    kind, town, venue = kinds[k % 8], towns[(k // 8) % 10], venues[k % 5]
    m, d = (k % 12) + 1, (k % 27) + 1
    text = (f'A {kind} will be held at {venue} in {town} on {days[(k * 3) % 7]} {d} {months[m - 1]} '
            f'at {k % 11 + 1}pm. ' + ' '.join(filler[(i + j) % 5] for j in range(1 + i % 4)))
    if i % 5 == 0:
        text += f' Last year a {kinds[(k + 3) % 8]} in {towns[(k + 1) % 10]} was cancelled.'
    if i % 7 == 0:
        text += f' Another {kind} is planned for next Saturday outside the library.'
    rec = {'id': f'gen-{i}', 'url': f'https://example.org/news/{i}', 'title': f'{kind.title()} in {town}',
           'published': f'2024-{m:02d}-{max(1, d - 1 - i % 3):02d}', 'text': text}
    print(json.dumps(rec))
