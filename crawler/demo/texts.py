"""Word lists and sentence templates for the sample blog's places, people and civic prose."""

from __future__ import annotations

# Template syntax (filled by crawler.demo.prose): "{slot}" takes a value from the post's
# context, "[a|b|c]" picks one alternative (no nesting). Straight quotes are curled later.

BOROUGHS = ["Ashcombe", "Wexley", "Kelbrook", "Stanmere", "Dunholt", "Orrington"]

BLOG_NAMES = [
    "{borough} Civic Watch",
    "{borough} Residents' Voice",
    "Council Matters in {borough}",
    "The {borough} Ratepayer",
]

TAGLINES = [
    "Residents asking the questions {borough} Council would rather avoid",
    "Independent notes on how {borough} is run, and for whom",
    "Local democracy, one agenda item at a time",
]

WARD_HEADS = [
    "Ash", "Bram", "Cran", "Elm", "Fern", "Holly", "Kings", "Lark", "Marsh", "Oak",
    "Rook", "Stan", "Wil", "Thorn", "Hazel", "Brook", "Chal", "Dene", "Gor", "Pen",
]
WARD_TAILS = [
    "field", "wood", "more", "ley", "ford", "hill", "gate", "stead", "bury", "combe",
    "well", "ton", "hurst", "worth",
]
STREET_KINDS = ["Road", "Avenue", "Lane", "Close", "Parade", "Street", "Gardens", "Crescent", "Way", "Rise"]
STREET_NAMES = [
    "Victoria", "Station", "Church", "Mill", "Orchard", "Queens", "Albert", "Park", "Grove", "Manor",
    "Meadow", "Beech", "Cedar", "Willow", "Chapel", "Bridge", "Sandy", "Pinner", "Harcourt", "Tudor",
    "Spencer", "Clarence", "Nelson", "Windsor", "Lyndhurst", "Gayton", "Hatch", "Kenton", "Moss", "Royal",
]

FIRST_NAMES = [
    "Priya", "David", "Margaret", "Tunde", "Helen", "Rajesh", "Siobhan", "Marek", "Aisha", "Graham",
    "Nadia", "Colin", "Fatima", "Gareth", "Yvonne", "Imran", "Bridget", "Kwame", "Lorraine", "Dev",
    "Hannah", "Stelios", "Patricia", "Amir", "Joan", "Oluwaseun", "Keith", "Mei", "Rosa", "Vikram",
    "Eileen", "Tomasz", "Sandra", "Hamza", "Alan", "Ruth", "Dipak", "Claire", "Neil", "Anjali",
]
SURNAMES = [
    "Hollis", "Okafor", "Patel", "Brennan", "Whitfield", "Kowalski", "Shah", "Mensah", "Doyle", "Rahman",
    "Ferris", "Chaudhry", "Lindqvist", "Osei", "Pemberton", "Varga", "Nakamura", "Quinn", "Adeyemi", "Thorne",
    "Banerjee", "MacLeod", "Costa", "Haddad", "Ellison", "Mistry", "Rowe", "Achterberg", "Singh", "Fairclough",
    "Gupta", "Burke", "Ndlovu", "Sterling", "Kaur", "Pryce", "Ahmed", "Lowther", "Demir", "Cartwright",
]

PARTIES = ["Conservative", "Labour", "Liberal Democrat", "Green", "Independent"]

PORTFOLIOS = [
    "finance", "planning and regeneration", "environment", "children's services", "housing",
    "community safety", "adult social care", "leisure and culture", "highways", "resources",
]

OFFICER_ROLES = [
    "corporate director of resources", "head of planning", "director of children's services",
    "interim chief executive", "monitoring officer", "head of environmental services",
    "director of housing", "assistant director for highways", "head of libraries and culture",
    "strategic director of place", "chief finance officer", "head of democratic services",
]

# With the article they take mid-sentence; the bare name is used for "the … meeting".
COMMITTEES = [
    "the overview and scrutiny committee", "the planning committee", "cabinet",
    "the audit and governance committee", "the children and families scrutiny panel",
    "the licensing panel", "the health and wellbeing board", "full council",
    "the performance and finance sub-committee", "the housing scrutiny panel",
]

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

VENUES = [
    "the Civic Centre", "committee room 3", "the council chamber", "St Anselm's church hall",
    "the {ward} community centre", "the library meeting room in {ward}", "the Scout hut on {street}",
]

GROUP_KINDS = ["Residents' Association", "Residents' Forum", "Tenants' and Residents' Association", "Community Group"]

# Added to some titles after a colon, so a large blog does not keep reusing headlines.
TITLE_TAILS = [
    "who decided?", "the questions that remain", "what residents were not told", "a closer look",
    "the numbers", "what happens next", "our questions", "what the papers say", "and who pays",
    "the story so far", "residents respond", "the council replies", "{month} update",
    "the view from {ward}", "a timeline",
]

# Written sentence openers; any template may be prefixed by one of these.
OPENERS = [
    "Frankly,", "As far as we can tell,", "On the figures we have seen,", "To be fair to officers,",
    "Once again,", "Put simply,", "For the record,", "Unsurprisingly,", "Remarkably,",
    "According to the published papers,", "Reading between the lines,", "In plain English,",
    "Not for the first time,", "Meanwhile,", "Worse still,", "On the other hand,",
    "It has to be said that", "We were told that", "It now appears that", "Local people tell us that",
]

# Short clauses appended to a sentence before its full stop.
TAILS = [
    ", at least on paper", ", or so we are told", ", according to the minutes",
    " — and residents deserve better", ", which nobody at the Civic Centre disputes",
    ", despite repeated promises", " in the last financial year", ", as we reported earlier",
    ", a point the opposition was quick to make", ", if the council's own figures are right",
    ", for what that is worth", " (we have asked for the workings)", ", on the council's own admission",
    ", two years late",
]

QUESTIONS = [
    "We asked {officer}, the council's {officer_role}: \"[How many|What proportion of] residents [were consulted about|actually responded on] {subject}, and [when|how] were they told?\"",
    "[Our question to {cllr} was simple|We put a short question to {cllr}]: \"Who signed off {subject}, and [was the decision ever|has the decision been] tested at scrutiny?\"",
    "At {meeting}, a resident from {ward} asked: \"[Will|Can] the council publish the full costs of {subject} before any [final decision|vote] is taken?\"",
    "We wrote to {officer} on {past_date} asking [whether|if] an equality impact assessment had been [done|carried out] for {subject}.",
    "[Through|Using] a Freedom of Information request we asked how much had been spent on consultants [working on|advising on] {subject} since {year}.",
    "[A simple question,|The obvious question,] then: \"What happens to {subject} if the [savings in the report do not|income in the report does not] materialise?\"",
    "{opp} asked {cllr} at {meeting} [whether|if] any [ward councillors|local members] had been [briefed|consulted] on {subject} [beforehand|in advance].",
]

ANSWERS = [
    "The reply, when it [came|finally arrived] {n} weeks later, said that \"[officers are|the council is] [confident|satisfied] that the [process|approach] has been [robust|proportionate] and [lawful|fit for purpose]\".",
    "{cllr} [answered|responded] that \"[difficult choices have to be made|we cannot keep doing everything we used to do] and [this administration|the cabinet] [will not|won't] apologise for [balancing the books|taking hard decisions]\".",
    "[In writing|By email], {officer} told us that \"the information [is not held in the form requested|would exceed the cost limit to compile]\", which is the [standard|usual] answer when a council would rather not say.",
    "[According to|In] the [written|published] answer, \"[engagement|dialogue] with [stakeholders|partners] is ongoing and [a report|an update] will [come|go] to {committee} in due course\".",
    "We were [reassured|pleased], up to a point, to hear {officer} say that \"[lessons have been learned|the concerns raised are being taken seriously] and [a review|an action plan] is [under way|being drawn up]\".",
    "The [council's press office|cabinet member's office] [said|told us] that \"[no decision has yet been taken|the figures quoted are out of date|the scheme is fully funded]\" — [which|something that] the published papers [do not bear out|rather contradict].",
]

RESIDENT_QUOTES = [
    "{resident}, who has lived on {street} for {n} years, told us: \"[Nobody knocked on our door|We found out from a notice tied to a lamp post|The first we heard was in the local paper]. [That is not consultation.|How is that fair?|It feels like the decision was made long ago.]\"",
    "\"[We are not against change|Nobody is asking for miracles],\" said {resident} of the {group}. \"We just want [the council to be straight with us|answers to the questions we have been asking since {year}|to see the figures].\"",
    "A parent from {ward} [put it bluntly|summed it up]: \"[They close the things that work and keep paying consultants.|My children have lost something they will not get back.|If this was happening in a richer part of the borough it would have been sorted months ago.]\"",
    "{resident}, a volunteer with the {group}, [said|added] that [residents had|people had] [collected|gathered] {big_n} signatures [in three weeks|over one weekend|outside the shops on {street}] and [were still waiting for|had still not had] a [proper|meaningful] reply.",
    "[One reader|A long-standing reader of this blog] [emailed|wrote to] us from {ward}: \"[I rang the contact centre four times|I reported it online twice|I emailed three times] and [each time|every time|always] [I was told|they said|I was promised] [someone|an officer|a manager] would [be in touch|call back|ring me]. [Nobody ever did.|That was in {month}.|Still waiting.]\"",
    "\"It is the [lack of honesty|secrecy|arrogance] that gets to people,\" {resident} told us [after the meeting|outside the Civic Centre|over the phone], \"[more than the cuts themselves|not the money|not the decision itself].\"",
]

GENERAL = [
    "[The report|The paper] [to|before] {committee} runs to {n2}0 pages, yet [the section on|the part dealing with] {subject} [is barely a page long|amounts to three paragraphs].",
    "[Councillors|Members] on {committee} were given [less than|barely] {n} days to read the papers before [voting|being asked to decide].",
    "{council} [says|insists] it [has|faces] a funding gap of {amount} [next year|in {next_year}], and [each directorate has been told|every department has been asked|all services were instructed] to [find|identify|propose] [savings|cuts].",
    "The [decision|matter] was [taken|nodded through] [under delegated powers|as an urgent item|in the part of the meeting closed to the public], so [no one|not a single councillor] [spoke against it|asked a question].",
    "[By our count|On our reckoning], this is the {ordinal} time in {n} years that {subject} has come back to {committee} [without a clear plan|with a different set of figures].",
    "[The minutes of {meeting} record|The official record of {meeting} notes] only that \"[members discussed the item|the recommendations were agreed]\", [which tells residents nothing|which hardly captures the argument in the room|a thin account of a heated evening|which leaves out every awkward question].",
    "[Ward councillors|All three {ward} councillors] [say|told us] they [learned|heard] about {subject} [at the same time as|no sooner than] [everyone else|residents].",
    "A [freedom of information|FOI] [response|answer] [shows|reveals] that {amount} was paid to [external advisers|a consultancy] in {year} for work [linked to|on] {subject}.",
    "[There is|We can find] no [mention|sign] of {subject} in the council's [corporate plan|delivery plan for {year}], [which is odd|strange|curious] [given|considering] [how much|the amount of] [time|officer time|money] [spent|lavished|poured] on it.",
    "Officers [estimate|reckon] that around {big_n} households in {ward} and {ward2} [would be|will be] affected, [though|but] the [method|basis] for that number is not [explained|given].",
    "[The council's own|A recent] residents' survey put satisfaction [with|on] {subject} at {pct}, down from {pct2} [two years ago|in {year}].",
    "[Agenda papers|The papers] for {meeting} [were|had been] [published late|uploaded on the Friday evening], [leaving|giving] residents [almost no time|one weekend] to [respond|prepare a deputation].",
    "The [chair|vice-chair] of {committee}, {opp}, [said|told the meeting] that [the committee|members] [had not been shown|were still waiting for] [the full business case|the risk register|the legal advice].",
    "[It is|This is] [public money|our money], and [residents are entitled|people have every right] to [see how it is spent|know who decided and why].",
    "[The cabinet|The administration] [points to|cites] a {pct} [cut in|fall in] government grant since {year} as the [reason|main reason] for {subject}.",
    "[We have|This blog has] [asked|pressed] for [the data|the underlying figures] [on|behind] {subject} [three times|since {month}] and [are still waiting|have not had a reply].",
    "A deputation from the {group} was [allowed|given] {n} minutes [at|to address] {meeting}, [after which|and then] the [item|recommendation] was [agreed|approved|waved through] [without|with no] [amendment|debate|vote].",
    "The [overspend|shortfall] on {subject} [now|currently] stands at {amount}, [according to|if you believe] the [latest|second-quarter|third-quarter] monitoring report.",
    "[None|Not one] of the [options|alternatives] [put forward|suggested] by residents [in the consultation|at the drop-in sessions] [made it into|appears in|survived into] the [final|published|cabinet] [report|paper|recommendations].",
    "[The timetable|The programme] has [slipped|moved] [again|twice already], and [work|delivery] is now [expected|promised] by {month} {next_year}.",
    "{council} [employs|pays for] [an engagement team|a communications team] of {n} people, yet [residents in {ward}|people on {street}] [say|tell us] they [heard|were told] nothing.",
    "[Whatever|However] one thinks of {subject}, the [way|manner] it has been [handled|managed] [does the council no credit|has left people angry and confused].",
    "[Three|Two|Four] [years|budgets] ago {council} [promised|pledged] [a review|an independent review] of [this area|the service]; [it never happened|nobody has seen it|the terms of reference were never agreed].",
    "[At|Before] {meeting} [there were|we counted] {n} members of the public [in the gallery|watching] and [more than|over] {n2} [online|following the webcast].",
    "{officer} [conceded|accepted|admitted] [under questioning|when pressed] that [no|only a partial] [risk assessment|options appraisal] [existed|had been written] [for|covering] [{subject}|the proposal].",
    "[Opposition members|The opposition group] [tabled|moved|put forward] an amendment [to delay|to pause|deferring] [the decision|{subject}] [by|for] {n} months; it [fell|was defeated] by {n2} votes to {n}.",
    "[Residents on|Households along] {street} [received|were sent|got] a [letter|leaflet] [dated|headed] {past_date} [that|which] [failed to mention|said nothing about|barely touched on] [the cost|the timetable|who would pay].",
    "The [leader|deputy leader] of the council [once described|previously billed|has described] {subject} as [\"a priority\"|\"essential\"|\"not up for debate\"], [which makes the silence since|so the recent silence is] [strange|telling|hard to explain].",
    "[Internal|Leaked|Unpublished] [emails|notes|briefings] [seen by|shared with|passed to] this blog [suggest|indicate|show] [officers|senior managers] [raised|flagged|voiced] [doubts|concerns|worries] [as early as|back in|from] {month} {year}.",
    "[If the plan goes ahead|Should the scheme proceed|If the proposal is approved], {ward} [would be|will be] [the only ward|one of only two wards] [without|lacking] [such a service|that provision|a comparable facility].",
    "[Nobody|Not one person] we [spoke to|met|interviewed] in {ward} [knew|had heard|was aware] [that|how] [{subject}|the proposal] [had reached|was at|had got to] [this stage|a final vote|the decision stage].",
    "Since {past_date} [the council's website|the consultation page|the council webpage] has [carried|shown|displayed] [a notice|a message|a banner] [saying|stating|claiming] that [the page|the document|the survey] is [\"being updated\"|\"temporarily unavailable\"|\"under review\"].",
    "[The contract|The arrangement|The deal] [with|held by] [the private provider|the outside firm|the contractor] [runs until|ends in|expires in] {next_year} [and|but] [includes|carries|contains] a [break clause|penalty clause|termination fee] worth {amount}.",
    "[Those|The people] [most affected|hit hardest|worst affected] [are|tend to be] [older residents|families on low incomes|disabled residents], [the least likely|who are least likely|the group least able] to [fill in|complete|find] an online [survey|form|questionnaire].",
    "[In|At] [a|the] [briefing|press briefing|pre-meeting] {cllr} [said|argued|maintained] that [residents|the public|people] [had been|were] [\"fully engaged\"|\"kept informed throughout\"|\"listened to\"]; {n} [residents|households] [in|from] {ward} [disagree|would dispute that|tell a different story].",
    "[Neighbouring|Nearby|Comparable] boroughs [have managed|found ways|have chosen] to [protect|keep|fund] [similar|equivalent] [services|provision] [while|despite] [facing|dealing with] [the same|similar|identical] [pressures|cuts|grant reductions].",
    "The [audit|auditors'|external audit] [letter|report|findings] for {year} [flagged|identified|highlighted] [weak|poor|inadequate] [controls|oversight|record keeping] [over|around|in] [this area|contract management|the budget].",
    "[We|This blog] [counted|found|tallied] {n} [separate|different|distinct] [versions|drafts|sets] of [the figures|the timetable|the costs] [in|across] [council papers|official documents] [since|from] {year}.",
    "[At the end of|After|Following] the [debate|discussion|item], [the chair|the mayor|{cllr}] [thanked|praised|commended] [officers|the team|staff] for [their hard work|a thorough report|their efforts], [and|then] [moved swiftly on|went to the next item|closed the session].",
    "[One|A] [senior|former|long-serving] [councillor|officer] [told us|said to us|admitted to us], [off the record|privately|on condition of anonymity], that [the decision|the outcome|the vote] [was|had been] [\"a foregone conclusion\"|\"stitched up weeks ago\"|\"never in doubt\"].",
]

NUMBERS = [
    "[The figures|The numbers] are [stark|striking]: {amount} [budgeted|set aside], {amount2} [spent|committed] so far, and [the rest|the balance] [unaccounted for|still to be explained].",
    "[In {year}|Last year] the council [received|logged] {big_n} [complaints|reports] about {subject}; [this year|so far this year] the [figure|total] is already {big_n2}.",
    "[Only|Just] {pct} of [the target|what was promised] has been [delivered|achieved], [against|compared with] a [forecast|plan] of {pct2}.",
    "[Spread across|Divided among] the borough's {big_n} [households|council tax payers], {amount} works out at [roughly|about] {small_amount} each.",
    "[Staffing|Head count] in the [team|service] [has fallen|fell] from {n2} to {n} [since {year}|over {n3} years], while [demand|the caseload] [rose|grew] by {pct}.",
]

OPINION = [
    "[We think|Our view is that] {subject} [deserves|needs] [proper scrutiny|an open debate], not a [rubber stamp|quiet decision in a side room].",
    "[Nobody|No one] [pretends|is saying] [the money is easy to find|the choices are easy], but [residents|people in {ward}] [should not|ought not to] [find out after the event|be the last to know].",
    "[If|Where] [the case|the argument] for {subject} is [so strong|as good as officers claim], [why not publish it|why the reluctance to share the evidence]?",
    "[It is hard|It is difficult] to [avoid the conclusion|escape the feeling] that [the outcome|the decision] was [settled|fixed] [before|long before] [anyone|a single resident] was asked.",
    "[Good|Sound] decisions [survive|can stand up to] [questions|scrutiny]; [bad ones|poor ones] [are hurried through|get taken in private].",
    "[The lesson|What this shows], [yet again|once more], is that [a council|the administration] [which|that] [will not|won't] [listen|answer questions] [ends up|finishes up] [paying twice|spending more].",
    "[There is|We see] [nothing|little] [wrong|amiss] with [saving money|tightening belts]; [the trouble|the problem] [lies|is] in [pretending|claiming] [that|the] [cuts|reductions] [will|can] [make services better|improve anything].",
    "[Residents|People in {ward}] [are|have proved] [perfectly|entirely] [capable|able] of [understanding|grasping] [a hard choice|difficult trade-offs] [when|if] [someone|anyone] [bothers|takes the trouble] to [explain it|set it out|lay it out] [honestly|plainly].",
    "[Trust|Confidence] in [the council|the Civic Centre] is [hard won|slow to build] and [quickly|easily] [spent|lost]; {subject} has [spent|used up] [a great deal of|much of] [it|what was left].",
    "[Scrutiny|Proper scrutiny] [exists|is there] [precisely|exactly] [to|so as to] [test|challenge] [decisions like this|choices of this kind] [before|ahead of] [the money|public money] is [spent|committed].",
]

CLOSINGS = [
    "[The item|{subject_cap}] [comes back|returns] to {committee} on {date}. [Residents can|Anyone may] [attend|watch the webcast] and [questions|written questions] [must|have to] be [submitted|sent in] [three clear working days|a week] [beforehand|in advance].",
    "[We will|This blog will] report back [as soon as|when] [we get|there is] [an answer|a reply]. [If you have|Anyone with] [information|a view] [on|about] {subject}, [please|do] [get in touch|leave a comment below].",
    "[Write to|Email] your ward councillors and [ask them|find out] [where they stand|how they will vote] on {subject}. [Their addresses|Contact details] are on the council website.",
    "[The {group} meets|The next meeting of the {group} is] on {weekday} {date} at {venue}, and [everyone|all residents] [is|are] welcome.",
    "[For now,|Until then,] [the question|our question] [remains|stands]: who [is accountable|takes responsibility] for {subject}?",
    "[If you live in {ward} and care about|For anyone in {ward} with a view on] {subject}, [the place to be|where to go] is {venue} on {weekday} {date}, [from|starting at] {time}.",
    "[We have|This blog has] [sent|submitted] [a further|another] [Freedom of Information|FOI] request and [will|shall] [publish|post] [whatever comes back|the response in full] [here|on this blog].",
    "[Copies of|Links to] [the papers|the report|the officer's letter] [are|sit] [below|at the end of this post]; [read them|judge] for yourself [and|then] [tell us|let us know] [what you make of it|if we have got anything wrong].",
    "[Our thanks|Thanks] to [the residents|everyone in {ward}|the readers] who [sent|passed] us [documents|photos|notes] [for|behind] this [post|piece]; [keep them coming|please keep them coming].",
    "[Whatever happens|However the vote goes] at {committee}, [it|the decision] [should|must] [be taken|happen] in [public|the open], [with|and with] [the figures|every figure] on the table.",
    "[Questions|A question] for {cllr} [can|may] be [sent|put] [through|via] the council's [website|members' pages]; [tell them|say] [you read about it|you saw it] here [if you like|by all means].",
    "[The consultation|The survey] [closes|runs until] {date}. [Please|Do] [respond|have your say], [even briefly|however briefly] — [silence|a low response] [will be|gets] [read|treated] as [consent|approval].",
]

# One-line notices. A choice every word or two keeps two notices from sharing wording.
SHORT_POSTS = [
    "[Reminder:|A quick note:|Diary date:] {committee} [meets|sits|convenes] [on|this] {weekday} {date} [at|from] {time} [in|at] {venue}. [The agenda|Its agenda|The list] [includes|covers|features] {subject}.",
    "[Just published:|Out today:|Now online:] [the|{council}'s] [response|reply|answer] to [our|this blog's|a resident's] [FOI request|written question|complaint] [on|about|concerning] {subject}. [We are|We're|Currently] [reading|studying|digesting] it.",
    "[Correction:|Apologies:|An error:] [our|the] [last|previous|earlier] [post|piece|article] [gave|quoted|printed] {amount} [as the|for the] [cost|figure|total]; [it should have been|the correct figure is|officers now say] {amount2}.",
    "[Thank you|Thanks|Many thanks] to the {big_n} [residents|people|neighbours] [who came to|at|who joined us at] {venue} [on|last] {weekday}. [Notes|A summary|The minutes] [will follow|to follow|are coming].",
    "[Petition:|Please sign:|Sign and share:] the {group} [has started|is running|has launched] a petition [about|on|against] {subject}. [It needs|The target is|They are aiming for] {big_n} [signatures|names] [by|before] {date}.",
    "{weekday} {date}: [webcast|live stream|broadcast] of {meeting} [from|starting at] {time}. [Watch|Tune in|Follow along|Join us] [if you can|online|from home].",
    "[Heads up:|Notice:|For your diary:] [the consultation|the survey|the engagement exercise] on {subject} [closes|ends|shuts] [on|this] {weekday} {date}. [Responses|Replies|Views] [count|matter|are read].",
    "[Photo of the week:|Snapshot:|Seen today:] {street}, {n} [weeks|days] [after|since] [residents|neighbours|we] [reported|flagged|logged] [it|the problem|the damage] [to|with] [the council|{council}|the contact centre]. [Still waiting.|Nothing has changed.|No crew yet.|Untouched.]",
    "[No post this week|A short pause|Quiet week here] — [we are|the team is|your editors are] [at|attending|busy with] {meeting}. [Back|Normal service resumes] [soon|on {weekday}|next week].",
    "[Result:|Outcome:|Decision:] {committee} [approved|deferred|rejected] {subject} [by|with] {n2} votes to {n}. [Analysis|Our take|More detail] [to follow|tomorrow|in the next post].",
]

# The middle and last sentences of a notice.
SHORT_MIDDLES = [
    "[So far|To date|Until now] [nobody|no one|not one councillor] has [explained|justified|defended] [it|the decision|the figures] [in public|on the record|in writing].",
    "[It|This|The item] [follows|comes after] {n} [months|weeks] of [questions|pressure|campaigning] [from|by] [residents|readers|the {group}].",
    "[Officers|The council|{cllr}] [say|insist|claim] the [cost|impact|change] [is|will be] [small|modest|manageable]; [residents|we|neighbours] [doubt|question|dispute] [it|that].",
    "{n2} [readers|residents|households] have [written|emailed|called] [in|to us] [about|on] [it|this] [since|from] {month}.",
    "[Background|Context|History]: [we|this blog] [first|originally] [covered|reported] [this|the issue] in {month} {year}.",
    "[Expect|Watch for|Look out for] [a|the] [vote|decision|report] [around|before|by] {date}.",
]
SHORT_TAILS = [
    "[Papers went|Documents went|The report went] online {weekday}.",
    "[Details|More] [to follow|soon|in our next post].",
    "[See|Read] [our earlier post|the background] [on|about] {ward}.",
    "{cllr} [is expected|is due|has promised] to [speak|attend|answer questions].",
    "[All welcome|Everyone welcome|Bring a neighbour|Tell your street].",
    "[Questions|Comments] [to|for] {officer} [by|before] {date}.",
]

COMMENTS = [
    "[Thank you|Thanks] for [writing this up|keeping on at them]. [I had no idea|None of us on {street} knew] about {subject}.",
    "[I went to|I watched] the meeting [and|—] [the cabinet member|the chair] [did not answer|never answered] the question that was [asked|put].",
    "[Same thing happened|Exactly the same happened] [on|in] {street} [last year|in {year}]. [Nobody listened then either.|We are still waiting.]",
    "[Has anyone asked|Did anyone ask] [the ward councillors|our councillors] [about this|where they stand]? [Mine has not replied in a month.|I got an automated reply.]",
    "[Very|Really] [useful|helpful] summary. [Shared with|Forwarded to] our [street WhatsApp group|residents' association].",
    "[With respect,|To play devil's advocate,] [the council has|they have] lost a lot of funding and [something has to give|some services had to go].",
    "[Is there|Do you have] a link to the [report|papers]? [I could not find it on the website.|The council search is useless.]",
    "[Well done|Good work] [getting|prising] [an answer|that reply] out of them. [It is more than most of us manage.|Keep going.]",
    "[My mother|My neighbour] [relies on|uses] [it|this service] [every week|twice a week]; [I dread to think|I do not know] what [she|they] will do.",
    "[Where|How] can [residents|we] [object|comment]? [The portal|The planning portal] [keeps|kept] [timing out|crashing] on me.",
]

REPLIES = [
    "[Thanks|Thank you], {first}. [The papers are|The report is] on the council website under {committee}, item {n}.",
    "[Good point,|Fair point,] {first}. [We will|I will] [put that to|ask] {officer} [in our next question|this week].",
    "[Agreed|Quite so]. [We have asked|I have asked] the same [thing|question] and will [post the answer|publish the reply] when it comes.",
    "[Thanks for|We appreciate] the [comment|challenge], {first}. [The funding point|The money] is [real|fair], [but|yet] [the process|how it was done] still [matters|counts].",
]

ABOUT = [
    "This blog is written by a small group of {borough} residents who [got tired of|grew frustrated with] finding out about council decisions after they had been made.",
    "We read the [agenda papers|committee papers], [watch|sit through] the webcasts, [ask|submit] questions and Freedom of Information requests, and report what we find in plain English.",
    "We are not [linked to|part of] any political party. [Councillors of every colour|Politicians of every party] have had a hard time here, and will again.",
    "[Comments are welcome|We welcome comments], [but|though] [please|do] keep them civil and on topic. [Personal attacks|Abuse] will be removed.",
    "If you have a story, a document or a question you think we should ask, [please|do] get in touch through any of our authors' pages.",
]

BIOS = [
    "[Retired|Former] [teacher|accountant|librarian|nurse] who has lived in {ward} since {year}. [Reads budget papers for fun.|Attends more council meetings than is healthy.]",
    "[Parent of two|Father of three|Mother of two] and [school governor|member of the {group}]. [Writes mostly about|Interested in] [schools, children's services and youth provision|parks, trees and anything green].",
    "[Campaigner|Volunteer] with the {group}. [Tracks planning applications across the borough.|Keeps an eye on the roads, the bins and the contracts behind them.]",
    "[Local resident and|Long-time] [Freedom of Information enthusiast|council watcher]. [Believes every decision should survive daylight.|Asks the same question until it is answered.]",
]

UPDATE_LINES = [
    "Update: [since this was published|after we posted this], {officer} [has confirmed|wrote to confirm] that {subject} will [go|be referred] to {committee} on {date}.",
    "Update ({date}): the council [has now published|has finally released] the [figures|report] we asked for. [We will go through it properly|A fuller post will follow] [this week|shortly].",
    "Update: [several readers|a number of readers] [have pointed out|tell us] that [the drop-in session|the public meeting] was moved to {venue}. [Our thanks to them.|Thank you for the correction.]",
]

INTRO_LINES = [
    "[We first wrote about this|This blog first covered this] in {month} {year}, and [little has changed since|the story is worth repeating].",
    "[Reposted|Reposting] [because|as] {subject} is back on the agenda at {meeting}.",
    "[Several readers|A number of new readers] have asked about {subject}, so here is [our earlier post again|the background once more].",
]

QUOTE_LEADS = [
    "[Back in|In] {month} {year} we [wrote|reported] the following, and [it bears repeating|it is worth reading again]:",
    "[Regular readers|Long-standing readers] will [remember|recall] what we [said|published] [at the time|then]:",
    "[Much of what we wrote|What we wrote] [earlier|last time] [still stands|holds true]:",
]

VIDEO_NOTE = "(To watch in full: press play, then choose Settings › Quality › 1080p for a sharper picture.)"
