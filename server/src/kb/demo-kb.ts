import type { ArticleInput } from './articles.js';

// The Demo Desk's knowledge base: an IT and customer help desk's articles, written for this
// project, on the topics its tickets are about (sign-in, VPN, billing and VAT, users, exports,
// printers...). Each entry is [key, title, tags, when it helps, steps]; the body is built from
// them in the shape most help centres use.

type Entry = [key: string, title: string, tags: string, when: string, steps: string[]];

const AREAS: Record<string, { contact: string; entries: Entry[] }> = {
  'sign-in': {
    contact: 'If none of this works, ask the service desk to check the account in the directory.',
    entries: [
      [
        'reset-password',
        'Reset your password',
        'password login',
        'You forgot your password or it expired and the sign-in page refuses it.',
        [
          'Open the sign-in page and choose **Forgot password**.',
          'Enter your work e-mail; the reset link arrives within two minutes.',
          'Open the link within 15 minutes and choose a password of at least 12 characters.',
          'Sign in again on every device with the new password.',
        ],
      ],
      [
        'locked-account',
        'Unlock an account after too many sign-in attempts',
        'lockout login',
        'Sign-in says the account is locked after several wrong passwords.',
        [
          'Wait 15 minutes: the lock lifts by itself.',
          'If you need in sooner, reset your password; a reset also unlocks the account.',
          'Check phones and laptops that may keep trying an old password (mail apps, saved Wi-Fi).',
        ],
      ],
      [
        'login-loop',
        'Sign-in keeps returning to the login page',
        'login cookies browser',
        'After entering a correct password the browser goes back to the login page again and again.',
        [
          'Clear the cookies of the sign-in site or open a private window.',
          'Check that the computer clock is right: a wrong time breaks sign-in tokens.',
          'Turn off extensions that block third-party cookies for the sign-in domain.',
        ],
      ],
      [
        'after-reset-cannot-login',
        'Cannot log in after a password reset',
        'password login cache',
        'The new password works on the web but apps and the laptop still refuse it.',
        [
          'Lock the laptop and unlock it with the new password while connected to the office network or VPN.',
          'Update the password saved in mail and calendar apps on your phone.',
          'Remove old saved credentials in Windows Credential Manager or macOS Keychain.',
        ],
      ],
      [
        'username-format',
        'Which username to use when signing in',
        'login username',
        'You are not sure whether to use your e-mail, a short name or DOMAIN\\name.',
        [
          'Use your full work e-mail for web apps and single sign-on.',
          'Use DOMAIN\\shortname only for older file shares and printers.',
          'Your short name is the part of the e-mail before the @.',
        ],
      ],
      [
        'session-expired',
        'Session expired messages while working',
        'session timeout login',
        'You are signed out in the middle of work with a session expired notice.',
        [
          'Sessions end after 8 hours of inactivity or 24 hours in total.',
          'Tick **Keep me signed in** on trusted devices.',
          'Save drafts often; forms keep their content for 30 minutes after a sign-out.',
        ],
      ],
      [
        'new-starter-first-login',
        'First sign-in for new starters',
        'onboarding login',
        'You are new and received a temporary password from your manager.',
        [
          'Sign in with the temporary password; you are asked to choose your own.',
          'Set up two-factor sign-in right away (you have 7 days).',
          'Enrol your laptop by signing in to it while on the office network.',
        ],
      ],
      [
        'change-password',
        'Change your password before it expires',
        'password expiry',
        'You got a reminder that your password expires soon.',
        [
          'Open your account page and choose **Change password**.',
          'Passwords expire every 180 days; the last 5 cannot be reused.',
          'Use a passphrase of four or more words.',
        ],
      ],
    ],
  },
  'two-factor': {
    contact: 'The service desk can reset two-factor after checking your identity by video call.',
    entries: [
      [
        'setup-authenticator',
        'Set up two-factor sign-in with an authenticator app',
        'mfa 2fa authenticator',
        'You need to turn on two-factor authentication for your account.',
        [
          'Install Microsoft Authenticator or Google Authenticator on your phone.',
          'On your account page choose **Security → Two-factor → Add app**.',
          'Scan the QR code and type the 6-digit code to confirm.',
          'Save the recovery codes somewhere safe.',
        ],
      ],
      [
        'new-phone',
        'Move two-factor to a new phone',
        'mfa 2fa phone',
        'You changed phones and the codes now come to the old one or not at all.',
        [
          'Before wiping the old phone, add the new one under **Security → Two-factor**.',
          'If the old phone is gone, sign in with a recovery code and add the new phone.',
          'Remove the old phone from the list.',
        ],
      ],
      [
        'codes-not-accepted',
        'Two-factor codes are not accepted',
        'mfa 2fa time',
        'The authenticator shows a code but sign-in says it is invalid.',
        [
          'Make sure the phone sets its time automatically: codes depend on the clock.',
          'Type the code shown now, not one that is about to expire.',
          'Check you are using the entry for the right account.',
        ],
      ],
      [
        'lost-recovery-codes',
        'Lost phone and recovery codes',
        'mfa 2fa recovery',
        'You cannot get a code and have no recovery codes.',
        [
          "Contact the service desk from another colleague's account or by phone.",
          'They verify your identity by video call with your ID.',
          'They reset two-factor; set it up again at the next sign-in.',
        ],
      ],
      [
        'sms-codes-late',
        'Text message codes arrive late or not at all',
        'mfa sms',
        'You chose text messages for two-factor and the codes are delayed.',
        [
          'Switch to the authenticator app: it works offline and instantly.',
          'Check the phone number on your account page.',
          'Roaming abroad can delay texts by several minutes.',
        ],
      ],
      [
        'push-approvals',
        'Approve sign-ins with a push notification',
        'mfa push',
        'You would rather tap Approve than type codes.',
        [
          'Use Microsoft Authenticator and enable notifications for it.',
          'Choose **Approve sign-ins** when adding the app.',
          'Never approve a request you did not start: report it as phishing.',
        ],
      ],
      [
        'hardware-key',
        'Use a security key (YubiKey) for sign-in',
        'mfa security-key',
        'You want a hardware key instead of a phone.',
        [
          'Ask the service desk for a key; two are issued per person.',
          'Add both under **Security → Two-factor → Security key**.',
          'Keep the spare key in a safe place at home.',
        ],
      ],
    ],
  },
  sso: {
    contact: 'Admins can read the single sign-on log under Admin → Security → Sign-in events.',
    entries: [
      [
        'sso-okta',
        'Set up single sign-on with Okta',
        'sso okta saml',
        'Your company wants staff to sign in through Okta.',
        [
          'In Okta add a SAML 2.0 application.',
          'Paste our metadata URL from **Admin → Security → SSO**.',
          'Map the e-mail attribute to NameID.',
          'Test with one user before enforcing SSO for everyone.',
        ],
      ],
      [
        'sso-azure',
        'Set up single sign-on with Microsoft Entra ID (Azure AD)',
        'sso azure entra saml',
        'Your company uses Microsoft Entra ID for identities.',
        [
          'In Entra ID add an enterprise application (non-gallery).',
          'Choose SAML and upload our metadata file.',
          'Assign the users or groups who may sign in.',
          'Turn on SSO in **Admin → Security → SSO** once a test user works.',
        ],
      ],
      [
        'sso-error-audience',
        'SSO error: audience or entity ID mismatch',
        'sso saml error',
        'Sign-in through the identity provider fails with an audience or entity ID error.',
        [
          'Compare the entity ID in the identity provider with the one on our SSO page; they must match exactly.',
          'Check for a trailing slash or http instead of https.',
          'Re-download our metadata if the certificate was rotated.',
        ],
      ],
      [
        'sso-certificate',
        'Renew the SSO signing certificate',
        'sso certificate saml',
        'The identity provider warns that the SAML certificate expires soon.',
        [
          'Generate a new certificate in the identity provider without removing the old one.',
          'Upload it in **Admin → Security → SSO → Certificates**.',
          'Make it active, test a sign-in, then remove the old one.',
        ],
      ],
      [
        'sso-new-users',
        'New users cannot sign in through SSO',
        'sso provisioning users',
        'Colleagues who just joined get an access denied after signing in to the identity provider.',
        [
          'Assign them to the application in the identity provider.',
          'Turn on just-in-time provisioning or SCIM so accounts are created on first sign-in.',
          'Check that their e-mail domain is verified in our admin settings.',
        ],
      ],
      [
        'sso-bypass',
        'Sign in when single sign-on is down',
        'sso outage admin',
        'The identity provider has an outage and nobody can sign in.',
        [
          'Admins can sign in with their break-glass password at the /admin-login page.',
          'Temporarily allow password sign-in under **Admin → Security → SSO**.',
          'Turn enforcement back on when the provider recovers.',
        ],
      ],
      [
        'scim-provisioning',
        'Provision users automatically with SCIM',
        'sso scim provisioning',
        'You want accounts created and removed from the identity provider.',
        [
          'Create a SCIM token under **Admin → Security → Provisioning**.',
          'Enter the SCIM URL and token in the identity provider.',
          'Deactivated users there are suspended here within 40 minutes.',
        ],
      ],
    ],
  },
  vpn: {
    contact:
      'Send the VPN client log (Help → Export logs) to the service desk if it keeps failing.',
    entries: [
      [
        'vpn-install',
        'Install the VPN client',
        'vpn install',
        'You need access to internal systems from home.',
        [
          'Download the GlobalProtect client from the software portal.',
          'Enter the portal address vpn.acme.example.',
          'Sign in with your work account and approve two-factor.',
        ],
      ],
      [
        'vpn-disconnects',
        'VPN disconnects every few minutes',
        'vpn disconnect wifi',
        'The VPN connects but drops after a few minutes and reconnects.',
        [
          'Turn off Wi-Fi power saving on the laptop.',
          'Prefer 5 GHz Wi-Fi or a cable; weak signal drops the tunnel.',
          'Update the VPN client to the latest version from the software portal.',
          'If a home router has SIP ALG or VPN passthrough options, turn passthrough on.',
        ],
      ],
      [
        'vpn-cannot-connect',
        'VPN will not connect: gateway unreachable',
        'vpn connect error',
        'The VPN client says it cannot reach the gateway.',
        [
          'Check that you have internet access without the VPN.',
          'Hotel and guest networks may block VPN ports: try a phone hotspot.',
          'Restart the GlobalProtect service or the laptop.',
        ],
      ],
      [
        'vpn-slow',
        'Everything is slow on the VPN',
        'vpn performance',
        'Web pages and file shares are slow while connected.',
        [
          'Video calls do not need the VPN: split tunnelling sends them directly.',
          'Test your home line speed without the VPN.',
          'Connect to the nearest gateway under **Settings → Gateway**.',
        ],
      ],
      [
        'vpn-dns',
        'Internal sites do not open over VPN',
        'vpn dns intranet',
        'The VPN is connected but intranet addresses do not resolve.',
        [
          'Disconnect and reconnect to refresh DNS settings.',
          'Run ipconfig /flushdns (Windows) or restart the laptop.',
          'Check that no other VPN or security tool is running.',
        ],
      ],
      [
        'vpn-mac',
        'VPN on macOS asks to allow a system extension',
        'vpn macos',
        'On a Mac the VPN client does not start and mentions a blocked extension.',
        [
          'Open **System Settings → Privacy & Security**.',
          'Allow the system extension from Palo Alto Networks.',
          'Restart the client.',
        ],
      ],
      [
        'vpn-certificate',
        'VPN certificate error after a laptop rebuild',
        'vpn certificate',
        'The VPN says the machine certificate is missing or invalid.',
        [
          'Connect the laptop to the office network once so it can renew its certificate.',
          'Or ask the service desk to push a new certificate remotely.',
        ],
      ],
    ],
  },
  'wifi-network': {
    contact: 'Tell the service desk your floor and the name of the network you see.',
    entries: [
      [
        'office-wifi',
        'Connect to the office Wi-Fi',
        'wifi network office',
        'You need to join the staff wireless network.',
        [
          'Choose the network ACME-Staff.',
          'Sign in with your work e-mail and password.',
          'Accept the certificate issued to radius.acme.example.',
        ],
      ],
      [
        'guest-wifi',
        'Wi-Fi for visitors',
        'wifi guest',
        'A visitor needs internet access.',
        [
          'Visitors join ACME-Guest.',
          'Reception prints a daily code.',
          'Guest Wi-Fi has no access to internal systems.',
        ],
      ],
      [
        'wifi-drops',
        'Wi-Fi keeps dropping in the office',
        'wifi disconnect',
        'The laptop loses the wireless network several times an hour.',
        [
          'Forget the network and join it again.',
          'Update the wireless driver from the software portal.',
          'Report the meeting room or desk where it happens: an access point may be down.',
        ],
      ],
      [
        'wifi-password-changed',
        'Wi-Fi stops working after a password change',
        'wifi password',
        'Since changing your password the phone or laptop no longer joins the staff network.',
        ['Forget ACME-Staff on the device.', 'Join again with the new password.'],
      ],
      [
        'ethernet-desk',
        'Wired network port at a desk does not work',
        'network ethernet',
        'A desk network socket gives no connection.',
        [
          'Try another cable and the second port on the desk.',
          'Note the port number on the socket and report it.',
        ],
      ],
      [
        'home-internet',
        'Slow home internet for work',
        'network home',
        'Calls freeze and uploads are slow when working from home.',
        [
          'Use a cable or sit closer to the router.',
          'Restart the router.',
          'Ask others at home to pause large downloads during calls.',
        ],
      ],
    ],
  },
  email: {
    contact: 'Include the full error text and a screenshot when you contact the service desk.',
    entries: [
      [
        'outlook-setup',
        'Set up Outlook on a new computer',
        'email outlook setup',
        'You need your mailbox in Outlook on a new laptop.',
        [
          'Open Outlook and enter your work e-mail.',
          'Approve the two-factor prompt.',
          'Wait for the mailbox to download; large ones take an hour.',
        ],
      ],
      [
        'mobile-mail',
        'Read work e-mail on your phone',
        'email mobile',
        'You want mail and calendar on your phone.',
        [
          'Install Microsoft Outlook from the app store.',
          'Add your work account and accept the device policy.',
          'The policy requires a screen lock.',
        ],
      ],
      [
        'mailbox-full',
        'Mailbox full: cannot send or receive',
        'email quota mailbox',
        'Outlook warns the mailbox is full and mail bounces.',
        [
          'Empty Deleted Items and Junk.',
          'Sort by size and delete or archive large attachments.',
          'Turn on the online archive under **File → Tools → Mailbox cleanup**.',
        ],
      ],
      [
        'shared-mailbox',
        'Open a shared mailbox',
        'email shared mailbox',
        'You were given access to a team mailbox such as support@ and cannot see it.',
        [
          'Access appears in Outlook within an hour of being granted.',
          'If not, add it under **File → Account settings → More settings → Advanced**.',
          'Send as the shared address by choosing it in the From field.',
        ],
      ],
      [
        'out-of-office',
        'Set an out-of-office reply',
        'email out-of-office',
        'You will be away and want automatic replies.',
        [
          'In Outlook choose **File → Automatic replies**.',
          'Set the dates and write separate replies for internal and external senders.',
        ],
      ],
      [
        'email-bounce',
        'E-mails to a customer bounce',
        'email bounce delivery',
        'Messages come back with an undeliverable notice.',
        [
          'Read the bounce: a 550 code means the address does not exist.',
          'Check for typos in the address.',
          'If the receiving server rejects us, send the bounce to the service desk.',
        ],
      ],
      [
        'phishing-report',
        'Report a suspicious e-mail',
        'email phishing security',
        'You received a message asking for a password, payment or an urgent click.',
        [
          'Do not click links or open attachments.',
          'Use the **Report phishing** button in Outlook.',
          'If you already clicked, change your password and tell the service desk now.',
        ],
      ],
      [
        'calendar-sharing',
        'Share your calendar with a colleague',
        'calendar sharing',
        'An assistant or colleague needs to see or manage your calendar.',
        [
          'In Outlook calendar choose **Share** and add the person.',
          'Choose Can view or Can edit (delegate).',
        ],
      ],
    ],
  },
  printing: {
    contact: "Put the printer's asset tag (on a sticker at the front) in your ticket.",
    entries: [
      [
        'add-printer',
        'Add an office printer',
        'printer setup',
        'You need to print on a floor printer.',
        [
          'Open the software portal and install **Follow-me printing**.',
          'Print to the queue ACME-Print.',
          'Release the job at any printer with your badge.',
        ],
      ],
      [
        'blank-pages',
        'Printer prints blank pages',
        'printer blank toner',
        'Pages come out of the printer empty.',
        [
          'Check the toner level on the printer screen.',
          'Remove the toner cartridge, shake it and put it back.',
          'Print a test page from the printer menu; if it is blank too, report the printer.',
        ],
      ],
      [
        'paper-jam',
        'Clear a paper jam',
        'printer jam',
        'The printer reports a jam.',
        [
          'Open the doors shown on the screen, one at a time.',
          'Pull paper out in the direction it travels.',
          'Fan the paper stack before reloading.',
        ],
      ],
      [
        'print-job-stuck',
        'Print job does not come out',
        'printer queue',
        'You printed but nothing appears when you badge at the printer.',
        [
          'Jobs wait 24 hours for release; check you used the ACME-Print queue.',
          'Large PDFs take a minute to appear.',
          'Sign out and in at the printer with your badge.',
        ],
      ],
      [
        'scan-to-email',
        'Scan a document to e-mail',
        'printer scan',
        'You need to scan paper to your mailbox.',
        [
          'Badge in at the printer and choose **Scan to me**.',
          'The PDF arrives in your inbox within a minute.',
        ],
      ],
      [
        'badge-printer',
        'Register your badge at a printer',
        'printer badge',
        'The printer does not recognise your badge.',
        [
          'Tap the badge and sign in with your username and password once.',
          'The badge is remembered at every printer from then on.',
        ],
      ],
      [
        'print-from-home',
        'Print from home',
        'printer home',
        'You want to print on your home printer from the work laptop.',
        [
          'Connect the printer by USB or add it by its IP address.',
          "Drivers from the printer maker may need the software portal's admin approval.",
        ],
      ],
    ],
  },
  devices: {
    contact: 'Laptops under warranty are swapped the same day at the service desk.',
    entries: [
      [
        'laptop-slow',
        'Laptop is slow',
        'laptop performance',
        'Apps take long to open and the fan is loud.',
        [
          'Restart at least once a week; updates finish on restart.',
          'Close browser tabs you do not need.',
          'Check free disk space: keep at least 20 GB free.',
        ],
      ],
      [
        'laptop-no-boot',
        'Laptop does not start',
        'laptop boot',
        'The screen stays black or the laptop restarts in a loop.',
        [
          'Plug in the charger and hold the power button for 15 seconds.',
          'Disconnect docks and USB devices and try again.',
          'If you see a BitLocker recovery screen, call the service desk for the key.',
        ],
      ],
      [
        'bitlocker-key',
        'BitLocker recovery key requested',
        'laptop bitlocker encryption',
        'The laptop asks for a BitLocker recovery key at start-up.',
        [
          'The key is in your account page under **Devices**.',
          'Match the key ID shown on screen.',
          'Tell the service desk afterwards: a firmware update may have triggered it.',
        ],
      ],
      [
        'docking-station',
        'Docking station screens stay dark',
        'laptop dock monitor',
        'External monitors do not show anything when docked.',
        [
          'Unplug the dock power for 30 seconds.',
          'Update the dock firmware from the software portal.',
          'Check the monitor input source.',
        ],
      ],
      [
        'new-laptop',
        'Move to a new laptop',
        'laptop replacement',
        'You received a replacement laptop.',
        [
          'Files in OneDrive sync by themselves; check the sync icon is green.',
          'Sign in to browsers to bring bookmarks.',
          'Hand back the old laptop within 14 days.',
        ],
      ],
      [
        'phone-lost',
        'Lost or stolen phone or laptop',
        'device lost security',
        'A work device is missing.',
        [
          'Tell the service desk at once: they wipe it remotely.',
          'Change your password.',
          'Report a theft to the police and add the report number to your ticket.',
        ],
      ],
      [
        'headset-audio',
        'Headset microphone not working in calls',
        'audio headset calls',
        'Others cannot hear you in video calls.',
        [
          "Choose the headset as input in the call app's audio settings.",
          'Check the mute switch on the headset cable.',
          'Allow microphone access in the operating system privacy settings.',
        ],
      ],
      [
        'software-install',
        'Install software',
        'software install',
        'You need an application that is not on your laptop.',
        [
          'Open the software portal and search for it.',
          "If it is not there, request it: licensed software needs your manager's approval.",
        ],
      ],
    ],
  },
  files: {
    contact: 'Deleted files can be restored for 90 days.',
    entries: [
      [
        'restore-file',
        'Restore a deleted or overwritten file',
        'files restore onedrive',
        'You deleted a file or saved over it.',
        [
          'Open OneDrive or the SharePoint library in the browser.',
          'Deleted files are in the recycle bin for 93 days.',
          'For an older version choose **Version history**.',
        ],
      ],
      [
        'shared-drive-access',
        'Get access to a shared drive or team folder',
        'files access permissions',
        'You need a team folder that says access denied.',
        [
          'Ask the folder owner to add you, or request access from the access denied page.',
          'Access arrives within an hour.',
        ],
      ],
      [
        'onedrive-sync',
        'OneDrive does not sync',
        'files onedrive sync',
        'The OneDrive icon shows a red cross or files are not up to date.',
        [
          'Click the OneDrive icon to read the error.',
          'Close files open in other apps.',
          'File names with characters like : or * cannot sync; rename them.',
        ],
      ],
      [
        'large-file-share',
        'Send a large file to a customer',
        'files sharing',
        'An attachment is too big for e-mail.',
        [
          'Upload it to OneDrive and choose **Share → Specific people**.',
          'Set an expiry date for the link.',
        ],
      ],
      [
        'file-locked',
        'File is locked for editing by another user',
        'files locked office',
        'Word or Excel says someone else is editing the file.',
        [
          'Open it from OneDrive or SharePoint to co-author instead of the desktop copy.',
          'A lock from a crashed app clears within 10 minutes.',
        ],
      ],
      [
        'storage-full',
        'OneDrive storage is full',
        'files storage quota',
        'OneDrive warns that you are out of space.',
        [
          'Empty the OneDrive recycle bin.',
          'Move team files to the team site instead of your OneDrive.',
        ],
      ],
      [
        'mapped-drive',
        'Mapped network drive is missing',
        'files network drive',
        'The H: or S: drive is gone from This PC.',
        ['Connect to the office network or VPN.', 'Sign out and in again so the drive maps.'],
      ],
    ],
  },
  meetings: {
    contact: "Room equipment problems can also be reported on the room's tablet.",
    entries: [
      [
        'teams-camera',
        'Camera not working in Teams',
        'meetings camera teams',
        'Others see a black tile instead of your video.',
        [
          'Close other apps that use the camera.',
          'Allow camera access in the operating system privacy settings.',
          'Pick the right camera in Teams under **Settings → Devices**.',
        ],
      ],
      [
        'meeting-room-screen',
        'Meeting room screen does not show the laptop',
        'meetings room display',
        'Nothing appears on the room display when you connect.',
        [
          'Use the HDMI cable on the table or join from the room tablet.',
          'Press Windows+P (or mirror displays on a Mac).',
        ],
      ],
      [
        'call-quality',
        'Poor call quality: voices cut out',
        'meetings audio network',
        'Audio is choppy in video calls.',
        [
          'Turn off your video to save bandwidth.',
          'Use a cable instead of Wi-Fi.',
          'Close cloud sync and large downloads during the call.',
        ],
      ],
      [
        'room-booking',
        'Book a meeting room',
        'meetings rooms booking',
        'You need a room for a meeting.',
        [
          'Add the room as an attendee in Outlook; it accepts if free.',
          'Rooms not checked in within 10 minutes are released.',
        ],
      ],
      [
        'external-guests',
        'Invite people from outside the company to a call',
        'meetings guests external',
        'A customer cannot join your meeting.',
        [
          'External guests join from the link in the invitation and wait in the lobby.',
          'Admit them from the participants list.',
        ],
      ],
      [
        'webinar-setup',
        'Run a webinar for customers',
        'meetings webinar',
        'You need a large meeting with registrations.',
        [
          'Request a webinar licence in the software portal.',
          'Create a Teams webinar and share its registration link.',
        ],
      ],
      [
        'recording',
        'Record a meeting and find the recording',
        'meetings recording',
        'You want to record a call or cannot find the recording.',
        [
          'Choose **More → Record** in the meeting; everyone is told.',
          "The recording appears in the chat and in the organiser's OneDrive.",
        ],
      ],
    ],
  },
  billing: {
    contact: 'Billing questions are answered by finance within one business day.',
    entries: [
      [
        'download-invoice',
        'Download an invoice as PDF',
        'billing invoice pdf',
        'You need a copy of an invoice for your accounts.',
        [
          'Open **Billing → Invoices**.',
          'Choose the invoice and **Download PDF**.',
          'If the download spins, sign out and in again and retry.',
        ],
      ],
      [
        'invoice-vat-number',
        'Add or correct the VAT number on invoices',
        'billing vat tax invoice',
        'Your invoices show no VAT number or a wrong one.',
        [
          'Open **Billing → Company details**.',
          'Enter the VAT number with its country prefix (e.g. NL123456789B01).',
          'New invoices use it; ask us to reissue invoices from the last 90 days.',
        ],
      ],
      [
        'reverse-charge',
        'Reverse charge VAT for EU businesses',
        'billing vat eu',
        'You are a business in another EU country and were charged VAT.',
        [
          'A valid VAT number removes VAT (reverse charge) from the next invoice.',
          'We check numbers in the EU VIES register; an invalid number keeps VAT on.',
          'Ask for a credit note for invoices issued with VAT by mistake.',
        ],
      ],
      [
        'billing-address',
        'Change the billing address or company name',
        'billing address',
        'The invoice shows an old address or name.',
        [
          'Update **Billing → Company details**.',
          'Changes apply to the next invoice; ask us to reissue recent ones.',
        ],
      ],
      [
        'invoice-copy-email',
        'Send invoices to the accounts payable mailbox',
        'billing invoice email',
        'Invoices go to a person who left; finance wants them at ap@.',
        [
          'Add the address under **Billing → Invoice recipients**.',
          'Each invoice is sent to every recipient.',
        ],
      ],
      [
        'purchase-order',
        'Put a purchase order number on invoices',
        'billing purchase-order',
        'Your finance team needs a PO number on each invoice.',
        [
          'Enter it under **Billing → Company details → PO number**.',
          'It appears on the next invoices.',
        ],
      ],
      [
        'currency',
        'Pay in another currency',
        'billing currency',
        'You want invoices in EUR, GBP or USD.',
        [
          'The currency is set when the subscription starts.',
          'To change it, the current subscription ends and a new one starts in the new currency.',
        ],
      ],
      [
        'tax-exempt',
        'Tax-exempt organisations',
        'billing tax exemption',
        'You are a charity or public body exempt from sales tax.',
        [
          'Send the exemption certificate to billing.',
          'Exemption applies from the next invoice once approved.',
        ],
      ],
    ],
  },
  payments: {
    contact:
      'For payment failures, include the last four digits of the card, never the full number.',
    entries: [
      [
        'update-card',
        'Update the payment card',
        'payments card',
        'Your card expired or you want to pay with another one.',
        [
          'Open **Billing → Payment methods → Add card**.',
          'Make the new card the default and remove the old one.',
        ],
      ],
      [
        'payment-failed',
        'Payment failed',
        'payments declined card',
        'We could not charge your card and the account shows a payment warning.',
        [
          'Check the card has not expired and has enough limit.',
          'Some banks block foreign charges: approve it in your banking app.',
          'Retry the payment under **Billing → Invoices → Pay now**.',
        ],
      ],
      [
        'pay-by-transfer',
        'Pay by bank transfer',
        'payments bank transfer',
        'You prefer bank transfer to cards.',
        [
          'Annual plans above 5 seats can pay by transfer.',
          'Use the invoice number as the payment reference.',
          'Transfers take 2–3 business days to be matched.',
        ],
      ],
      [
        'duplicate-charge',
        'Charged twice for one invoice',
        'payments refund duplicate',
        'Your statement shows two identical charges.',
        [
          'One may be a pending authorisation that disappears within 5 days.',
          'If both are settled, send us both transaction dates; we refund the duplicate.',
        ],
      ],
      [
        'receipt',
        'Get a payment receipt',
        'payments receipt',
        'You need proof of payment.',
        ['Paid invoices have **Download receipt** next to them.'],
      ],
      [
        'sca-3ds',
        'Card payment asks for bank confirmation (3-D Secure)',
        'payments 3ds sca',
        'Your bank asks you to confirm the payment in its app.',
        [
          'European rules require it for some online payments.',
          'Approve it within 10 minutes or the payment is cancelled.',
        ],
      ],
    ],
  },
  refunds: {
    contact: 'Refunds go back to the original payment method only.',
    entries: [
      [
        'request-refund',
        'Request a refund',
        'refunds billing',
        'You want money back for a charge.',
        [
          'Refunds are possible within 30 days of a charge.',
          'Reply to the invoice e-mail or open a billing ticket with the invoice number.',
        ],
      ],
      [
        'refund-timing',
        'When a refund reaches your account',
        'refunds timing',
        'A refund was issued but you do not see it yet.',
        [
          'Card refunds take 5–10 business days depending on the bank.',
          'Bank transfer refunds take 2–3 business days.',
          'The credit note is in **Billing → Invoices**.',
        ],
      ],
      [
        'cancel-refund',
        'Refund after cancelling',
        'refunds cancellation',
        'You cancelled and expect money back for the rest of the year.',
        [
          'Monthly plans are not refunded for the current month.',
          'Annual plans are refunded pro rata when cancelled within 60 days.',
        ],
      ],
      [
        'credit-note',
        'Credit notes',
        'refunds credit-note',
        'You received a credit note and are not sure what it means.',
        [
          'A credit note cancels all or part of an invoice.',
          'Its amount is refunded or used for the next invoice.',
        ],
      ],
      [
        'order-damaged',
        'An order arrived damaged',
        'orders damaged returns',
        'The package or the item inside is broken.',
        [
          'Take photos of the box and the item.',
          'Open a ticket within 14 days with the order number and photos.',
          'We send a replacement or refund; you do not need to return broken items.',
        ],
      ],
      [
        'return-item',
        'Return an item',
        'orders returns',
        'You want to send back something you ordered.',
        [
          'Returns are free within 30 days.',
          'Print the return label from **Orders → Return**.',
          'The refund follows when the parcel reaches us.',
        ],
      ],
      [
        'wrong-item',
        'Wrong item delivered',
        'orders wrong-item',
        'You got something you did not order.',
        [
          'Open a ticket with the order number and a photo of the label.',
          'We ship the right item at once and send a return label for the wrong one.',
        ],
      ],
    ],
  },
  subscription: {
    contact: 'Account owners and billing admins can change plans.',
    entries: [
      [
        'change-plan',
        'Upgrade or downgrade your plan',
        'subscription plan',
        'You want more features or to pay less.',
        [
          'Open **Billing → Plan** and choose the new plan.',
          'Upgrades apply at once and are prorated; downgrades apply at renewal.',
        ],
      ],
      [
        'add-seats',
        'Add seats for new users',
        'subscription seats users',
        'You reached the number of users your plan allows.',
        ['Add seats under **Billing → Plan → Seats**.', 'You pay pro rata until the renewal date.'],
      ],
      [
        'cancel-subscription',
        'Cancel your subscription',
        'subscription cancel',
        'You want to stop using the service.',
        [
          'Open **Billing → Plan → Cancel**.',
          'Access continues until the end of the paid period.',
          'Export your data before the end date.',
        ],
      ],
      [
        'trial-extension',
        'Extend a free trial',
        'subscription trial',
        'Your trial ends before you finished evaluating.',
        ['Ask sales for a 14-day extension once per company.'],
      ],
      [
        'renewal-date',
        'Find your renewal date',
        'subscription renewal',
        'You need to know when the plan renews.',
        [
          'It is shown under **Billing → Plan**.',
          'A reminder is e-mailed 30 days before annual renewals.',
        ],
      ],
      [
        'nonprofit-discount',
        'Discounts for non-profits and education',
        'subscription discount',
        'You are a charity or school.',
        ['Apply with proof of status; approved organisations get 50% off.'],
      ],
    ],
  },
  users: {
    contact: 'Only admins can add users or change roles.',
    entries: [
      [
        'add-user',
        'Add a new user',
        'users admin',
        'A colleague needs an account.',
        [
          'Open **Admin → Users → Invite**.',
          'Enter their e-mail and choose a role.',
          'They receive an invitation valid for 7 days.',
        ],
      ],
      [
        'billing-portal-user',
        'Give someone access to the billing portal',
        'users billing permissions',
        'A finance colleague must see invoices but nothing else.',
        [
          'Invite them with the role **Billing admin**.',
          'Billing admins see invoices, payment methods and plans only.',
        ],
      ],
      [
        'remove-user',
        'Remove a user who left',
        'users offboarding',
        'Someone left the company.',
        [
          'Open **Admin → Users**, choose them and **Deactivate**.',
          'Their content stays; reassign their open items.',
          'The seat is free for someone else at once.',
        ],
      ],
      [
        'change-role',
        "Change a user's role",
        'users roles permissions',
        'Someone needs more or fewer rights.',
        [
          'Open **Admin → Users** and change the role.',
          'Roles: Viewer, Member, Admin, Billing admin.',
        ],
      ],
      [
        'invitation-expired',
        'Invitation link expired',
        'users invitation',
        'A new user says the invitation link no longer works.',
        ['Invitations are valid for 7 days.', 'Resend it from **Admin → Users → Pending**.'],
      ],
      [
        'transfer-ownership',
        'Transfer account ownership',
        'users owner',
        'The account owner is leaving.',
        [
          'The owner chooses **Admin → Account → Transfer ownership**.',
          'If the owner already left, contact support from an admin account.',
        ],
      ],
      [
        'user-groups',
        'Organise users in groups',
        'users groups',
        'You want to give a team the same access.',
        [
          'Create a group under **Admin → Groups** and add members.',
          'Give the group access to projects instead of each person.',
        ],
      ],
      [
        'audit-log',
        'See who changed what (audit log)',
        'users audit security',
        'You need to know who changed a setting or deleted something.',
        [
          'Admins find the audit log under **Admin → Security → Audit log**.',
          'Entries are kept for 12 months and export as CSV.',
        ],
      ],
    ],
  },
  reports: {
    contact: 'Send the report name and the filters you used.',
    entries: [
      [
        'export-csv',
        'Export a report to CSV',
        'reports export csv',
        'You need report data in a spreadsheet.',
        [
          'Open the report and choose **Export → CSV**.',
          'Exports of more than 50,000 rows are e-mailed to you as a link.',
        ],
      ],
      [
        'export-timeout',
        'Large exports time out',
        'reports export timeout',
        'An export of a big report fails or never finishes.',
        [
          'Narrow the date range or filters.',
          'Use **Export → E-mail me the file** for large reports: it runs in the background.',
          'Scheduled exports run overnight without limits.',
        ],
      ],
      [
        'schedule-report',
        'Schedule a report by e-mail',
        'reports schedule',
        'You want a report every Monday in your inbox.',
        ['Open the report and choose **Schedule**.', 'Pick the recipients, day and format.'],
      ],
      [
        'report-numbers-differ',
        'Report numbers do not match the dashboard',
        'reports data',
        'Two places show different totals.',
        [
          'Check both use the same time zone and date range.',
          'Dashboards refresh every 15 minutes; reports are live.',
        ],
      ],
      [
        'excel-characters',
        'Accents look wrong when opening a CSV in Excel',
        'reports csv excel encoding',
        'Names like Zoë or Müller show strange characters.',
        [
          'Open Excel first and use **Data → From Text/CSV** choosing UTF-8.',
          'Or export as XLSX instead of CSV.',
        ],
      ],
      [
        'custom-fields-report',
        'Include custom fields in reports',
        'reports custom-fields',
        'A custom field is missing from report columns.',
        [
          'Choose **Columns** and tick the field.',
          'Fields added in the last hour appear after the next refresh.',
        ],
      ],
      [
        'pdf-report',
        'Save a dashboard as PDF',
        'reports pdf dashboard',
        'You need a PDF for a meeting.',
        ['Open the dashboard and choose **Share → PDF**.', 'Wide dashboards print in landscape.'],
      ],
    ],
  },
  integrations: {
    contact: 'Integration errors show in Admin → Integrations → Activity.',
    entries: [
      [
        'slack-integration',
        'Connect Slack',
        'integrations slack',
        'You want notifications in a Slack channel.',
        [
          'Open **Admin → Integrations → Slack → Connect**.',
          'Choose the workspace and channel.',
          'Private channels need the app invited with /invite.',
        ],
      ],
      [
        'salesforce-sync',
        'Salesforce sync stopped',
        'integrations salesforce sync',
        'Records from Salesforce stopped updating.',
        [
          'Reconnect under **Admin → Integrations → Salesforce**: tokens expire when the connecting user changes password.',
          'Check the integration user still has API access in Salesforce.',
        ],
      ],
      [
        'jira-integration',
        'Link tickets to Jira issues',
        'integrations jira',
        'Your team tracks bugs in Jira.',
        [
          'Connect Jira under **Admin → Integrations**.',
          'From a ticket choose **Link Jira issue** or create one.',
        ],
      ],
      [
        'webhooks',
        'Send events to your own system with webhooks',
        'integrations webhooks api',
        'You want your system told when something changes.',
        [
          'Add an endpoint under **Admin → Integrations → Webhooks**.',
          'Verify the signature header on every request.',
          'Failed deliveries are retried for 24 hours.',
        ],
      ],
      [
        'hubspot',
        'Connect HubSpot',
        'integrations hubspot crm',
        'Your sales team uses HubSpot.',
        [
          'Connect under **Admin → Integrations → HubSpot** with a HubSpot admin.',
          'Contacts sync both ways every 15 minutes.',
        ],
      ],
      [
        'integration-disconnected',
        'An integration disconnected by itself',
        'integrations tokens',
        'An integration shows Disconnected.',
        [
          'The person who connected it left or changed password; reconnect it with a shared service account.',
        ],
      ],
      [
        'zapier',
        'Automate with Zapier',
        'integrations zapier',
        'You want no-code automations.',
        ['Search for our app in Zapier and connect with an API key.'],
      ],
      [
        'google-calendar',
        'Sync with Google Calendar',
        'integrations google calendar',
        'You want events in Google Calendar.',
        ['Connect under **Profile → Calendar sync → Google**.', 'Sync runs every 10 minutes.'],
      ],
      [
        'teams-app',
        'Add the Microsoft Teams app',
        'integrations teams',
        'You want notifications in Teams.',
        [
          'An admin adds the app from the Teams app store.',
          'Then connect channels from **Admin → Integrations → Teams**.',
        ],
      ],
    ],
  },
  api: {
    contact: 'Include the request ID header from the failing response.',
    entries: [
      [
        'api-key',
        'Create an API key',
        'api key',
        'You need to call our API from a script.',
        [
          'Open **Admin → API → New key**.',
          'Copy it now: it is shown once.',
          'Give it only the scopes the script needs.',
        ],
      ],
      [
        'api-401',
        'API returns 401 Unauthorized',
        'api error 401 authentication',
        'Requests fail with 401.',
        [
          'Send the key as a Bearer token in the Authorization header.',
          'Check the key was not revoked or expired.',
        ],
      ],
      [
        'api-429',
        'API returns 429 Too Many Requests',
        'api error 429 rate-limit',
        'Requests are rejected with 429.',
        [
          'The limit is 600 requests per minute per key.',
          'Wait for the seconds in the Retry-After header.',
          'Use bulk endpoints instead of one request per record.',
        ],
      ],
      [
        'api-pagination',
        'Get all results from the API (pagination)',
        'api pagination',
        'The API returns only 100 records.',
        ['Follow the next cursor in each response until it is empty.'],
      ],
      [
        'api-500',
        'API returns 500 errors',
        'api error 500',
        'The API answers with server errors.',
        [
          'Retry with exponential backoff.',
          'Check the status page for incidents.',
          'Report persistent errors with the request ID.',
        ],
      ],
      [
        'api-webhook-signature',
        'Verify webhook signatures',
        'api webhooks security',
        'You want to be sure webhook calls come from us.',
        [
          'Compute an HMAC-SHA256 of the raw body with your webhook secret.',
          'Compare it with the X-Signature header in constant time.',
        ],
      ],
      [
        'api-sandbox',
        'Test against the sandbox',
        'api sandbox testing',
        'You want to try the API without touching real data.',
        [
          'Create a sandbox key under **Admin → API → Sandbox**.',
          'Sandbox data resets every Sunday.',
        ],
      ],
      [
        'api-timezones',
        'Times in API responses',
        'api time zone',
        'Timestamps look hours off.',
        [
          'All API times are UTC in ISO 8601 with a Z.',
          'Convert to local time in your application.',
        ],
      ],
    ],
  },
  'data-import': {
    contact: 'Send the file you tried to import (without personal data if possible).',
    entries: [
      [
        'import-csv',
        'Import contacts from a CSV file',
        'import csv contacts',
        'You want to bring existing contacts in.',
        [
          'Download the template under **Contacts → Import**.',
          'Keep the header row; e-mail is required.',
          'Upload and map the columns.',
        ],
      ],
      [
        'import-errors',
        'Import rejected rows',
        'import errors csv',
        'The import finished with rejected rows.',
        [
          'Download the error report: each row lists its reason.',
          'Fix the rows and import only those again; existing rows are updated, not duplicated.',
        ],
      ],
      [
        'import-dates',
        'Dates import wrongly (day and month swapped)',
        'import dates csv',
        'Imported dates have day and month swapped.',
        ['Use YYYY-MM-DD in the file.', 'Or choose the date format in the mapping step.'],
      ],
      [
        'import-duplicates',
        'Avoid duplicates when importing',
        'import duplicates',
        'Importing the same file twice made copies.',
        [
          'Map the ID or e-mail column as the unique key.',
          'Merge existing duplicates under **Contacts → Duplicates**.',
        ],
      ],
      [
        'bulk-update',
        'Update many records at once',
        'import bulk update',
        'You need to change a field on thousands of records.',
        ['Export, edit the column and import with the ID column mapped.'],
      ],
    ],
  },
  notifications: {
    contact: 'Tell us which notification and on which device.',
    entries: [
      [
        'email-notifications',
        'Too many e-mail notifications',
        'notifications email',
        'Your inbox fills with notifications.',
        [
          'Open **Profile → Notifications** and choose a daily digest.',
          'Mute projects you only watch.',
        ],
      ],
      [
        'no-notifications',
        'Not getting notifications',
        'notifications missing',
        'You expected a notification and nothing arrived.',
        [
          'Check **Profile → Notifications** is on for that event.',
          'Look in Junk and allow notify@acme.example.',
        ],
      ],
      [
        'mobile-push',
        'Push notifications on the phone do not arrive',
        'notifications push mobile',
        'The mobile app does not alert you.',
        [
          'Allow notifications for the app in the phone settings.',
          'Turn off battery optimisation for the app on Android.',
          'Sign out and in to refresh the push registration.',
        ],
      ],
      [
        'sla-alerts',
        'Alerts when a ticket is about to breach its SLA',
        'notifications sla alerts',
        'Team leads want a warning before a response target is missed.',
        [
          'Managers get a push when 75% of a target has passed, and again at breach.',
          'Turn alerts on in the app under **Settings → Notifications**.',
        ],
      ],
      [
        'digest-email',
        'Weekly summary e-mail',
        'notifications digest',
        'You want one summary instead of many messages.',
        [
          'Choose **Weekly digest** under **Profile → Notifications**; it arrives on Monday morning.',
        ],
      ],
      [
        'quiet-hours',
        'Quiet hours',
        'notifications schedule',
        'You do not want alerts at night.',
        ['Set quiet hours in **Profile → Notifications**; urgent alerts can still come through.'],
      ],
    ],
  },
  security: {
    contact: 'Report security incidents at once, day or night, on the security hotline.',
    entries: [
      [
        'clicked-phishing',
        'I clicked a link in a phishing e-mail',
        'security phishing incident',
        'You opened a suspicious link or entered your password on a strange page.',
        [
          'Change your password now from a trusted device.',
          'Tell the service desk: they check sign-ins and revoke sessions.',
          'Watch for unexpected two-factor prompts and deny them.',
        ],
      ],
      [
        'suspicious-signin',
        'Unusual sign-in alert',
        'security sign-in alert',
        'You got an alert about a sign-in you did not make.',
        [
          'If it was not you, change your password and sign out all sessions under **Security**.',
          'Report it to the service desk.',
        ],
      ],
      [
        'malware-popup',
        'Pop-ups say the computer is infected',
        'security malware',
        'A web page or pop-up claims your computer has a virus and asks you to call a number.',
        [
          'Do not call the number or install anything.',
          'Close the browser; restart the laptop.',
          'Report it if the pop-ups come back.',
        ],
      ],
      [
        'usb-drives',
        'Using USB drives',
        'security usb',
        'A USB stick is blocked or you found one.',
        [
          'Work laptops only accept encrypted company USB drives.',
          'Never plug in a drive you found; hand it to the service desk.',
        ],
      ],
      [
        'data-request',
        'A customer asks for their data (GDPR)',
        'security gdpr privacy',
        'A customer wants a copy of their personal data or to have it deleted.',
        [
          'Forward the request to privacy@ within one working day.',
          'Do not send data yourself; the privacy team verifies identity first.',
        ],
      ],
      [
        'password-manager',
        'Use the password manager',
        'security passwords',
        'You want to store passwords safely.',
        [
          'Install the company password manager from the software portal.',
          'Share team passwords through shared vaults, never chat or e-mail.',
        ],
      ],
    ],
  },
  account: {
    contact: "Account changes need the account owner's approval.",
    entries: [
      [
        'change-email',
        'Change your login e-mail address',
        'account email',
        'Your e-mail address changed.',
        [
          'Open **Profile → E-mail** and enter the new address.',
          'Confirm it from the link sent there.',
        ],
      ],
      [
        'delete-account',
        'Delete your account',
        'account delete privacy',
        'You want your account and data removed.',
        [
          'The account owner can delete the account under **Admin → Account → Delete**.',
          'Data is removed after 30 days; export it first.',
        ],
      ],
      [
        'time-zone-setting',
        'Times show in the wrong time zone',
        'account time zone',
        'Times in the app are hours off.',
        [
          'Set your time zone under **Profile → Regional settings**.',
          'Reports use the account time zone set by admins.',
        ],
      ],
      [
        'language-setting',
        'Change the language',
        'account language',
        'You want the app in another language.',
        ['Choose it under **Profile → Language**.'],
      ],
      [
        'export-all-data',
        'Export all your data',
        'account export data',
        'You need a full copy of your data.',
        [
          'Admins choose **Admin → Account → Export data**.',
          'A ZIP is ready within a few hours and the link is e-mailed.',
        ],
      ],
    ],
  },
  shipping: {
    contact: 'Have your order number ready.',
    entries: [
      [
        'track-order',
        'Track your order',
        'orders shipping tracking',
        'You want to know where a parcel is.',
        [
          'The tracking link is in the shipping confirmation e-mail.',
          'Tracking updates start within 24 hours of dispatch.',
        ],
      ],
      [
        'delivery-times',
        'Delivery times',
        'orders shipping delivery',
        'You wonder when an order arrives.',
        [
          'Orders placed before 14:00 on workdays ship the same day.',
          'Delivery takes 1–2 days nationally and 3–5 days in the EU.',
        ],
      ],
      [
        'change-delivery-address',
        'Change the delivery address of an order',
        'orders shipping address',
        'You entered the wrong address.',
        ['Contact us before the order ships; after dispatch ask the carrier to redirect it.'],
      ],
      [
        'missing-parcel',
        'Parcel marked delivered but not received',
        'orders shipping missing',
        'Tracking says delivered and you have nothing.',
        [
          'Check with neighbours and the building reception.',
          'Wait one working day: carriers sometimes scan early.',
          'Then open a ticket; we file a claim with the carrier.',
        ],
      ],
      [
        'shipping-label',
        'Shipping label has the wrong address',
        'orders shipping label',
        'The label on a parcel shows an old address.',
        [
          'Update the address in **Account → Addresses**.',
          'Tell us the order number so we can correct the label before pickup.',
        ],
      ],
    ],
  },
  mobile: {
    contact: 'Include the app version from Settings → About.',
    entries: [
      [
        'install-app',
        'Install the mobile app',
        'mobile app install',
        'You want the app on your phone.',
        ['Download it from the App Store or Google Play.', 'Sign in with your work account.'],
      ],
      [
        'app-crashes',
        'Mobile app crashes on start',
        'mobile app crash',
        'The app closes right after opening.',
        ["Update the app and the phone's operating system.", 'Delete and reinstall the app.'],
      ],
      [
        'offline-mode',
        'Use the app offline',
        'mobile offline',
        'You work where there is no signal.',
        [
          'Open items while online to keep them available offline.',
          'Changes sync when you are back online.',
        ],
      ],
      [
        'biometric-login',
        'Sign in with Face ID or fingerprint',
        'mobile biometric login',
        'You want to skip typing the password on the phone.',
        ['Turn on **Settings → Security → Biometric unlock** in the app.'],
      ],
    ],
  },
  projects: {
    contact: 'Project admins can restore deleted projects for 30 days.',
    entries: [
      [
        'create-project',
        'Create a project',
        'projects setup',
        'You want a new space for a team or customer.',
        ['Choose **New → Project** and pick a template.', 'Invite members or a group.'],
      ],
      [
        'archive-project',
        'Archive a finished project',
        'projects archive',
        'A project is done and clutters the list.',
        [
          'Open the project settings and choose **Archive**.',
          'Archived projects are read-only and can be restored.',
        ],
      ],
      [
        'restore-project',
        'Restore a deleted project',
        'projects restore delete',
        'Someone deleted a project by mistake.',
        ['Admins open **Admin → Trash** and restore it within 30 days.'],
      ],
      [
        'project-permissions',
        'Who can see a project',
        'projects permissions privacy',
        'You want to keep a project private.',
        [
          'Set visibility to **Members only** in project settings.',
          'Guests see only projects they are invited to.',
        ],
      ],
      [
        'templates',
        'Save a project as a template',
        'projects templates',
        'You repeat the same setup for every customer.',
        ['Open the project menu and choose **Save as template**.'],
      ],
      [
        'move-items',
        'Move items between projects',
        'projects move',
        'An item was filed in the wrong project.',
        ['Select items and choose **Move to…**; history and comments move with them.'],
      ],
      [
        'custom-fields',
        'Add custom fields',
        'projects custom-fields',
        'You need to track something the standard fields do not cover.',
        [
          'Admins add fields under **Admin → Fields**.',
          'Choose text, number, date or a list of options.',
        ],
      ],
      [
        'automation-rules',
        'Automate with rules',
        'projects automation',
        'You want assignments or reminders to happen by themselves.',
        [
          'Open **Project → Automation → New rule**.',
          'Pick a trigger, conditions and actions; test it on one item.',
        ],
      ],
    ],
  },
  'hr-systems': {
    contact: 'HR systems questions go to people-ops@ for anything about pay.',
    entries: [
      [
        'payslip',
        'Download your payslip',
        'hr payroll payslip',
        'You need a payslip for a bank or landlord.',
        [
          'Sign in to the HR portal and open **Pay → Payslips**.',
          'Payslips are there from the 25th of each month.',
        ],
      ],
      [
        'leave-request',
        'Request annual leave',
        'hr leave holiday',
        'You want to book days off.',
        [
          'Open **Time off → Request** in the HR portal.',
          'Your manager approves it; you get an e-mail.',
        ],
      ],
      [
        'sick-leave',
        'Report sick leave',
        'hr sick',
        'You are ill and cannot work.',
        [
          'Tell your manager before your start time.',
          'Record it in **Time off → Sick** on your first day back.',
        ],
      ],
      [
        'expense-claim',
        'Claim expenses',
        'hr expenses',
        'You paid for something for work.',
        [
          'Photograph the receipt in the expenses app.',
          'Submit within 60 days; payment follows with the next salary.',
        ],
      ],
      [
        'payroll-export-stuck',
        'Payroll export stuck or incomplete',
        'hr payroll export',
        'The monthly payroll export does not finish.',
        [
          'Check that every employee has a cost centre: missing ones stop the export.',
          'Run the export again for the month; it replaces the earlier file.',
        ],
      ],
      [
        'bank-details',
        'Change the bank account for your salary',
        'hr payroll bank',
        'You moved banks.',
        ['Update **Profile → Bank details** before the 15th to take effect this month.'],
      ],
    ],
  },
  'customer-portal': {
    contact: 'Customers can also reply to any ticket e-mail to reach us.',
    entries: [
      [
        'portal-signin',
        'Sign in to the customer portal',
        'portal customers login',
        'A customer cannot get into the help portal.',
        [
          'Customers sign in with the e-mail they wrote from and a one-time link.',
          'Links expire after 20 minutes.',
        ],
      ],
      [
        'see-my-tickets',
        'See all your requests',
        'portal customers tickets',
        'A customer wants the status of their requests.',
        [
          'Open **My requests** in the portal.',
          'Colleagues of the same company can share requests when the admin allows it.',
        ],
      ],
      [
        'reopen-request',
        'Reopen a solved request',
        'portal customers reopen',
        'The problem came back after a request was closed.',
        [
          'Reply to the solved e-mail within 7 days to reopen it.',
          'After that, open a new request and mention the old number.',
        ],
      ],
      [
        'status-page',
        'Check the service status',
        'portal status outage',
        'You think the service is down.',
        [
          'See status.acme.test for incidents and maintenance.',
          'Subscribe there to e-mail or text updates.',
        ],
      ],
      [
        'satisfaction-survey',
        'Satisfaction surveys',
        'portal survey csat',
        'Customers ask about the rating e-mail.',
        [
          'A one-question survey follows each solved request.',
          'Ratings go to the team lead, comments to the agent.',
        ],
      ],
      [
        'attachments-portal',
        'Attach files to a request',
        'portal attachments',
        'A customer needs to send screenshots or logs.',
        ['Drag files into the reply box; up to 20 MB each.', 'Zip larger logs or share a link.'],
      ],
    ],
  },
  accessibility: {
    contact: 'Accessibility requests are handled by the workplace team within a week.',
    entries: [
      [
        'screen-reader',
        'Use a screen reader with our apps',
        'accessibility screen-reader',
        'You use NVDA, JAWS or VoiceOver.',
        [
          'All pages support keyboard navigation and screen readers.',
          'Press ? for keyboard shortcuts.',
        ],
      ],
      [
        'zoom-text',
        'Make text larger',
        'accessibility display',
        'Text is too small to read comfortably.',
        [
          'Use the browser zoom (Ctrl and +); layouts adapt up to 400%.',
          'Choose **Profile → Display → Large text** in the apps.',
        ],
      ],
      [
        'dark-mode',
        'Dark mode',
        'accessibility display theme',
        'You prefer light text on a dark background.',
        ['Choose **Profile → Display → Theme → Dark**, or follow the system setting.'],
      ],
      [
        'captions',
        'Live captions in meetings',
        'accessibility captions meetings',
        'You want subtitles during calls.',
        ['In Teams choose **More → Language and speech → Live captions**.'],
      ],
      [
        'ergonomic-equipment',
        'Request ergonomic equipment',
        'accessibility equipment',
        'You need a special keyboard, mouse or chair.',
        ['Request it in the portal; an assessment may be offered.'],
      ],
    ],
  },
  backups: {
    contact: 'Restores of servers and databases are done by the infrastructure team.',
    entries: [
      [
        'laptop-backup',
        'Is my laptop backed up?',
        'backups laptop onedrive',
        'You want to know if your files are safe.',
        [
          'Desktop, Documents and Pictures sync to OneDrive automatically.',
          'Files elsewhere on the disk are not backed up.',
        ],
      ],
      [
        'restore-mailbox-item',
        'Recover deleted e-mails',
        'backups email restore',
        'You emptied Deleted Items and need a message back.',
        [
          'In Outlook choose **Recover items recently removed from this folder**.',
          'Items can be recovered for 30 days.',
        ],
      ],
      [
        'restore-server-file',
        'Restore a file from a server backup',
        'backups server restore',
        'A file on a network share is gone or damaged.',
        [
          'Right-click the folder and choose **Restore previous versions**.',
          'Snapshots are taken every 4 hours and kept for 14 days.',
        ],
      ],
      [
        'backup-database',
        'Request a database restore',
        'backups database',
        'An application database needs to go back in time.',
        [
          'Open an urgent ticket naming the database and the time to restore to.',
          'Nightly backups are kept for 35 days.',
        ],
      ],
      [
        'ransomware',
        'Files renamed or encrypted suddenly',
        'backups security ransomware',
        'Files have strange extensions and a ransom note appears.',
        [
          'Disconnect the computer from the network (unplug the cable, turn off Wi-Fi).',
          'Do not turn it off; call the security hotline at once.',
        ],
      ],
    ],
  },
  'hardware-requests': {
    contact: 'Hardware requests are approved by your manager, then delivered within 5 workdays.',
    entries: [
      [
        'request-monitor',
        'Request a second monitor',
        'hardware monitor request',
        'You want an extra screen.',
        ['Order it in the portal under **Hardware → Monitors**.'],
      ],
      [
        'request-phone',
        'Request a work phone',
        'hardware phone request',
        'Your role needs a company mobile phone.',
        ['Your manager requests it; phones come enrolled with mail and two-factor.'],
      ],
      [
        'return-equipment',
        'Return equipment when leaving',
        'hardware return offboarding',
        'You are leaving and have company equipment.',
        [
          'Bring laptop, phone, charger and badge to the service desk on your last day.',
          'Remote staff receive a prepaid box.',
        ],
      ],
      [
        'keyboard-mouse',
        'Replace a broken keyboard or mouse',
        'hardware accessories',
        'A keyboard key or mouse button stopped working.',
        ['Pick a replacement from the vending locker with your badge.'],
      ],
      [
        'charger-lost',
        'Lost laptop charger',
        'hardware charger',
        'You forgot or lost the laptop charger.',
        ['Spare chargers are at the service desk; a lost one is replaced once a year free.'],
      ],
    ],
  },
  'service-desk': {
    contact: 'The service desk answers from 08:00 to 18:00 on workdays.',
    entries: [
      [
        'contact-service-desk',
        'How to reach the service desk',
        'service-desk contact',
        'You need help from IT.',
        [
          'Open a ticket in the portal for anything that can wait an hour.',
          'Call for outages that stop you working.',
        ],
      ],
      [
        'ticket-priority',
        'How ticket priorities are set',
        'service-desk priority sla',
        'You want to know how fast you will get an answer.',
        [
          'Urgent: many people cannot work; first response within 30 minutes.',
          'High: one person cannot work; within 1 hour.',
          'Normal: within 4 business hours; Low: within 2 business days.',
        ],
      ],
      [
        'escalate-ticket',
        'Escalate a ticket that is taking too long',
        'service-desk escalation',
        'Your ticket is past its promised time.',
        [
          'Reply to the ticket asking for escalation; a team lead reviews it.',
          'For outages call the service desk.',
        ],
      ],
      [
        'out-of-hours',
        'Help outside office hours',
        'service-desk hours on-call',
        'Something breaks at night or at the weekend.',
        ['Call the on-call number for outages only.', 'Other requests wait for the next workday.'],
      ],
      [
        'access-request',
        'Request access to an application',
        'service-desk access',
        'You need a new app or more rights.',
        [
          'Use the access request form; your manager approves it.',
          'Most access is granted within one workday.',
        ],
      ],
      [
        'new-starter-equipment',
        'Equipment for a new starter',
        'service-desk onboarding',
        'Someone joins your team next month.',
        ['Managers request a laptop and accounts at least 10 workdays before the start date.'],
      ],
    ],
  },
};

/** The Demo Desk's articles, as an import brings them (source `demo`, keyed by area and entry). */
export function demoArticles(): ArticleInput[] {
  return Object.entries(AREAS).flatMap(([area, { contact, entries }]) =>
    entries.map(([key, title, tags, when, steps]) => ({
      sourceKey: `${area}/${key}`,
      title,
      tags: tags.split(' '),
      author: 'Acme Support',
      body: [
        `## When this helps\n\n${when}`,
        `## What to do\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
        `## Still stuck?\n\n${contact}`,
      ].join('\n\n'),
    })),
  );
}
